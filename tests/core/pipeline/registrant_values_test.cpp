#include "core/pipeline/registrant_values.hpp"

#include <gtest/gtest.h>

namespace marquee::pipeline {

TEST(RegistrantValues, SharedNamesHoldOneValueEach) {
  const auto names = RegistrantValues::make_names({"status", "email", "name", "email"});
  EXPECT_EQ(*names, (RegistrantValues::Names{"email", "name", "status"}));
  RegistrantValues a(names), b(names);
  a["email"] = "a@example.org";
  b["name"] = "Anna";
  ASSERT_NE(a.find("email"), nullptr);
  EXPECT_EQ(*a.find("email"), "a@example.org");
  EXPECT_EQ(*a.find("name"), "");  // declared, not answered
  EXPECT_EQ(*b.find("name"), "Anna");
  EXPECT_EQ(b.find("phone"), nullptr);
  EXPECT_FALSE(b.contains("phone"));
}

TEST(RegistrantValues, AFieldOutsideTheSharedNamesIsAddedForThatRowAlone) {
  const auto names = RegistrantValues::make_names({"email", "status"});
  RegistrantValues a(names), b(names);
  a["email"] = "a@example.org";
  a["status"] = "active";
  a["category"] = "Volunteer";  // sorts before both
  EXPECT_EQ(*a.find("category"), "Volunteer");
  EXPECT_EQ(*a.find("email"), "a@example.org");
  EXPECT_EQ(*a.find("status"), "active");
  EXPECT_FALSE(b.contains("category"));
  EXPECT_EQ(*names, (RegistrantValues::Names{"email", "status"}));
}

TEST(RegistrantValues, InitializerListsAndEmptyRows) {
  RegistrantValues v = {{"region", "Hamburg"}, {"email", "x@example.org"}, {"region", "Bremen"}};
  EXPECT_EQ(*v.find("region"), "Bremen");
  EXPECT_EQ(*v.find("email"), "x@example.org");
  RegistrantValues none;
  EXPECT_EQ(none.find("email"), nullptr);
  none["email"] = "y@example.org";
  EXPECT_EQ(*none.find("email"), "y@example.org");
}

TEST(RegistrantValues, ASlotReadsEveryRowAsItsNameDoes) {
  const auto names = RegistrantValues::make_names({"email", "name", "status"});
  RegistrantValues shared(names), grown(names), own({{"name", "Own"}}), none;
  shared["name"] = "Anna";
  grown["name"] = "Ben";
  grown["category"] = "Volunteer";  // its own list now: "name" moved to another place
  const auto name = RegistrantValues::slot(names, "name");
  EXPECT_EQ(name.index, 1u);
  for (const RegistrantValues* row : {&shared, &grown, &own, &none}) {
    const std::string* by_slot = row->find(name);
    const std::string* by_name = row->find("name");
    ASSERT_EQ(by_slot == nullptr, by_name == nullptr);
    if (by_slot) {
      EXPECT_EQ(by_slot, by_name) << "the same value, not a copy";
    }
  }
  EXPECT_EQ(*grown.find(name), "Ben");
  EXPECT_EQ(*own.find(name), "Own");
  EXPECT_EQ(none.find(name), nullptr);
  // A field outside the names: absent from rows that share them, found where a row added it.
  const auto category = RegistrantValues::slot(names, "category");
  EXPECT_EQ(category.index, names->size());
  EXPECT_EQ(shared.find(category), nullptr);
  EXPECT_EQ(*grown.find(category), "Volunteer");
  // Without names every row is read by name.
  const auto unnamed = RegistrantValues::slot(nullptr, "name");
  EXPECT_EQ(*shared.find(unnamed), "Anna");
  EXPECT_EQ(*grown.find(unnamed), "Ben");
}

TEST(RegistrantValues, ASlotWritesWhereItsNameWould) {
  const auto names = RegistrantValues::make_names({"email", "name", "status"});
  const auto name = RegistrantValues::slot(names, "name");
  const auto category = RegistrantValues::slot(names, "category");
  RegistrantValues shared(names), grown(names), none;
  grown["category"] = "Volunteer";
  for (RegistrantValues* row : {&shared, &grown, &none}) (*row)[name] = "Anna";
  EXPECT_EQ(*shared.find("name"), "Anna");
  EXPECT_EQ(*grown.find("name"), "Anna");
  EXPECT_EQ(*grown.find("category"), "Volunteer") << "the row's own field kept";
  EXPECT_EQ(*none.find("name"), "Anna") << "a row without names gets the field";
  EXPECT_EQ(shared.names(), names);
  EXPECT_NE(grown.names(), names);
  // A slot for a field outside the names adds it to that row alone, as by name.
  shared[category] = "Press";
  EXPECT_EQ(*shared.find("category"), "Press");
  EXPECT_EQ(*shared.find("name"), "Anna");
  EXPECT_NE(shared.names(), names);
  RegistrantValues other(names);
  EXPECT_FALSE(other.contains("category"));
}

}  // namespace marquee::pipeline
