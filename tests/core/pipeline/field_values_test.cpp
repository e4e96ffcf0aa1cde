#include "core/pipeline/field_values.hpp"

#include <gtest/gtest.h>

namespace marquee::pipeline {

TEST(FieldValues, SharedNamesHoldOneValueEach) {
  const auto names = FieldValues::make_names({"status", "email", "name", "email"});
  EXPECT_EQ(*names, (FieldValues::Names{"email", "name", "status"}));
  FieldValues a(names), b(names);
  a["email"] = "a@example.org";
  b["name"] = "Anna";
  ASSERT_NE(a.find("email"), nullptr);
  EXPECT_EQ(*a.find("email"), "a@example.org");
  EXPECT_EQ(*a.find("name"), "");  // declared, not answered
  EXPECT_EQ(*b.find("name"), "Anna");
  EXPECT_EQ(b.find("phone"), nullptr);
  EXPECT_FALSE(b.contains("phone"));
}

TEST(FieldValues, AFieldOutsideTheSharedNamesIsAddedForThatRowAlone) {
  const auto names = FieldValues::make_names({"email", "status"});
  FieldValues a(names), b(names);
  a["email"] = "a@example.org";
  a["status"] = "active";
  a["category"] = "Volunteer";  // sorts before both
  EXPECT_EQ(*a.find("category"), "Volunteer");
  EXPECT_EQ(*a.find("email"), "a@example.org");
  EXPECT_EQ(*a.find("status"), "active");
  EXPECT_FALSE(b.contains("category"));
  EXPECT_EQ(*names, (FieldValues::Names{"email", "status"}));
}

TEST(FieldValues, InitializerListsAndEmptyRows) {
  FieldValues v = {{"region", "Hamburg"}, {"email", "x@example.org"}, {"region", "Bremen"}};
  EXPECT_EQ(*v.find("region"), "Bremen");
  EXPECT_EQ(*v.find("email"), "x@example.org");
  FieldValues none;
  EXPECT_EQ(none.find("email"), nullptr);
  none["email"] = "y@example.org";
  EXPECT_EQ(*none.find("email"), "y@example.org");
}

}  // namespace marquee::pipeline
