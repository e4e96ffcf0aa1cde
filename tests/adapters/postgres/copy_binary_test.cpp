// adapters/postgres/copy_binary: COPY's binary format as the PostgreSQL
// manual gives it (COPY, "Binary Format"); the server's side is tested by
// the bulk writes store test (BulkWrites_.ValuesGoInTheFormOfTheirColumns).
#include "adapters/postgres/copy_binary.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace marquee {
namespace {

using T = CopyBinaryType;

std::string bytes(std::initializer_list<int> b) {
  std::string out;
  for (int c : b) out.push_back(static_cast<char>(c));
  return out;
}

std::string row(const Row& r, const std::vector<T>& types) {
  std::string out;
  append_copy_binary_row(r, types, out);
  return out;
}

TEST(CopyBinary, HeaderAndTrailerAreTheManualsBytes) {
  std::string out;
  append_copy_binary_header(out);
  EXPECT_EQ(out, std::string("PGCOPY\n\xff\r\n\0", 11) + bytes({0, 0, 0, 0, 0, 0, 0, 0}));
  out.clear();
  append_copy_binary_trailer(out);
  EXPECT_EQ(out, bytes({0xff, 0xff}));
}

TEST(CopyBinary, TypesWithABinaryFormHereAndOthersWithout) {
  EXPECT_EQ(copy_binary_type(25), T::text);
  EXPECT_EQ(copy_binary_type(1043), T::text);
  EXPECT_EQ(copy_binary_type(20), T::int8);
  EXPECT_EQ(copy_binary_type(23), T::int4);
  EXPECT_EQ(copy_binary_type(21), T::int2);
  EXPECT_EQ(copy_binary_type(16), T::boolean);
  for (unsigned oid : {17u /* bytea */, 700u, 701u /* float */, 1042u /* char(n) */, 1700u /* numeric */, 1184u /* timestamptz */, 3802u /* jsonb */})
    EXPECT_EQ(copy_binary_type(oid), std::nullopt) << oid;
}

TEST(CopyBinary, ARowIsItsCountThenEachLengthAndValue) {
  EXPECT_EQ(row(Row{"ab", std::nullopt, "", "Stra\xC3\x9F" "e"}, {T::text, T::text, T::text, T::text}),
            bytes({0, 4, 0, 0, 0, 2, 'a', 'b', 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 7}) + "Stra\xC3\x9F" "e");
  // Text goes as it is: nothing is escaped.
  EXPECT_EQ(row(Row{"a\tb\\c\n"}, {T::text}), bytes({0, 1, 0, 0, 0, 6}) + "a\tb\\c\n");
}

TEST(CopyBinary, IntegersAreBigEndianTwosComplementOfTheirTypesWidth) {
  EXPECT_EQ(row(Row{"1", "-2", "258"}, {T::int8, T::int4, T::int2}),
            bytes({0, 3, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 4, 0xff, 0xff, 0xff, 0xfe, 0, 0, 0, 2, 1, 2}));
  EXPECT_EQ(row(Row{"9223372036854775807"}, {T::int8}), bytes({0, 1, 0, 0, 0, 8, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}));
  EXPECT_EQ(row(Row{"-9223372036854775808"}, {T::int8}), bytes({0, 1, 0, 0, 0, 8, 0x80, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(row(Row{"-2147483648"}, {T::int4}), bytes({0, 1, 0, 0, 0, 4, 0x80, 0, 0, 0}));
  EXPECT_EQ(row(Row{"32767"}, {T::int2}), bytes({0, 1, 0, 0, 0, 2, 0x7f, 0xff}));
  // As int8in reads them: spaces around and a plus sign are allowed, a minus zero is zero.
  EXPECT_EQ(row(Row{" +42\t"}, {T::int8}), row(Row{"42"}, {T::int8}));
  EXPECT_EQ(row(Row{"-0"}, {T::int4}), row(Row{"0"}, {T::int4}));
}

TEST(CopyBinary, BooleansAsBoolinReadsThem) {
  const std::string t = bytes({0, 1, 0, 0, 0, 1, 1}), f = bytes({0, 1, 0, 0, 0, 1, 0});
  for (const char* v : {"t", "true", "TRUE", "tr", " yes ", "y", "on", "ON", "1"}) EXPECT_EQ(row(Row{v}, {T::boolean}), t) << v;
  for (const char* v : {"f", "false", "FaLsE", "n", "no", "of", "off", "0"}) EXPECT_EQ(row(Row{v}, {T::boolean}), f) << v;
}

TEST(CopyBinary, AValueItsTypeRefusesNamesItsColumnAndLeavesTheOutputAsItWas) {
  const std::vector<std::pair<std::string, T>> refused = {
      {"12a", T::int8}, {"", T::int8}, {"-", T::int8}, {"1 2", T::int8}, {"9223372036854775808", T::int8},
      {"-9223372036854775809", T::int8}, {"2147483648", T::int4}, {"-32769", T::int2}, {"0x10", T::int4},
      {"o", T::boolean}, {"maybe", T::boolean}, {"truest", T::boolean}, {"", T::boolean}, {"10", T::boolean}};
  for (const auto& [value, type] : refused) {
    std::string out = "kept";
    try {
      append_copy_binary_row(Row{"fine", value}, {T::text, type}, out);
      ADD_FAILURE() << "accepted '" << value << "'";
    } catch (const CopyValueError& e) {
      EXPECT_EQ(e.column, 1u) << value;
      EXPECT_NE(std::string(e.what()).find("\"" + value + "\""), std::string::npos) << e.what();
    }
    EXPECT_EQ(out, "kept") << value;
  }
  std::string out;
  EXPECT_THROW(append_copy_binary_row(Row{"a", "b"}, {T::text}, out), std::invalid_argument);
}

TEST(CopyBinary, RefusalsAreWordedAsTheServerWordsThem) {
  const auto message = [](const std::string& value, T type) {
    std::string out;
    try {
      append_copy_binary_row(Row{value}, {type}, out);
    } catch (const CopyValueError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message("12a", T::int8), "invalid input syntax for type bigint: \"12a\"");
  EXPECT_EQ(message("9223372036854775808", T::int8), "value \"9223372036854775808\" is out of range for type bigint");
  EXPECT_EQ(message("40000", T::int2), "value \"40000\" is out of range for type smallint");
  EXPECT_EQ(message("-2147483649", T::int4), "value \"-2147483649\" is out of range for type integer");
  // Too many digits and then a letter: the syntax is what is wrong.
  EXPECT_EQ(message("99999999999x", T::int4), "invalid input syntax for type integer: \"99999999999x\"");
  EXPECT_EQ(message("maybe", T::boolean), "invalid input syntax for type boolean: \"maybe\"");
}

}  // namespace
}  // namespace marquee
