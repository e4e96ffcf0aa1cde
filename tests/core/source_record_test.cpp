// A source record's values: one slot per import field, addressed by field or
// by name.
#include <gtest/gtest.h>

#include <stdexcept>

#include "core/source_record.hpp"

namespace marquee {
namespace {

TEST(SourceValues, EveryFieldNameRoundTripsThroughItsIndex) {
  ASSERT_EQ(import_fields().size(), kImportFieldCount);
  for (std::size_t i = 0; i < kImportFieldCount; ++i) {
    const auto field = import_field(import_fields()[i]);
    ASSERT_TRUE(field) << import_fields()[i];
    EXPECT_EQ(static_cast<std::size_t>(*field), i);
    EXPECT_EQ(import_field_name(*field), import_fields()[i]);
  }
  EXPECT_EQ(import_field("starts_at"), ImportField::starts_at);
  EXPECT_EQ(import_field("questions"), ImportField::questions);
  EXPECT_FALSE(import_field("Title"));
  EXPECT_FALSE(import_field("start"));
  EXPECT_FALSE(import_field(""));
}

TEST(SourceValues, AFieldIsPresentOnceAssignedEvenToEmptyText) {
  SourceValues v;
  EXPECT_EQ(v.size(), 0u);
  EXPECT_FALSE(v.contains(ImportField::venue));
  EXPECT_EQ(v.get(ImportField::venue), "");
  v[ImportField::venue] = "";
  EXPECT_TRUE(v.contains(ImportField::venue));
  v["title"] = "Opening";
  EXPECT_EQ(v.get(ImportField::title), "Opening");
  EXPECT_EQ(v.size(), 2u);
  EXPECT_FALSE(v.contains(ImportField::key));
}

TEST(SourceValues, UnknownNamesAreRefusedByName) {
  SourceValues v;
  try {
    v["colour"] = "red";
    FAIL() << "an unknown field was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'colour'"), std::string::npos) << e.what();
  }
  EXPECT_EQ(v.size(), 0u);
  EXPECT_THROW((SourceValues{{"title", "A"}, {"colour", "red"}}), std::invalid_argument);
}

TEST(SourceValues, EqualityCountsPresenceAndText) {
  const SourceValues a{{"title", "A"}, {"starts_at", "2031-06-11 10:00"}};
  SourceValues b;
  b[ImportField::starts_at] = "2031-06-11 10:00";
  b[ImportField::title] = "A";
  EXPECT_EQ(a, b);
  b[ImportField::room] = "";
  EXPECT_NE(a, b);  // present though empty
  SourceValues c = a;
  c[ImportField::title] = "B";
  EXPECT_NE(a, c);
}

}  // namespace
}  // namespace marquee
