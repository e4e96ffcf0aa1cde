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

}  // namespace marquee::pipeline
