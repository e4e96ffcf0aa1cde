#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/text.hpp"

using namespace marquee;

TEST(Text, TrimRemovesAsciiAndNoBreakSpace) {
  EXPECT_EQ(trim("  \t hello \r\n"), "hello");
  EXPECT_EQ(trim("\xC2\xA0hello\xC2\xA0"), "hello");
  EXPECT_EQ(trim(""), "");
}

TEST(Text, CollapseWhitespaceJoinsLines) { EXPECT_EQ(collapse_whitespace(" a \n\n b\tc "), "a b c"); }

TEST(Text, CollapsedWhitespaceIsAppendedAfterWhatTheStringHolds) {
  std::string out = "x\t";
  append_collapsed_whitespace(out, " \u00a0 a \n\n b\tc ");  // leading space (NBSP too) dropped, not the string's own
  EXPECT_EQ(out, "x\ta b c");
  append_collapsed_whitespace(out, "   ");
  EXPECT_EQ(out, "x\ta b c");
}

// Runs of other bytes are appended whole: a 0xC2 that begins another
// character (not U+00A0), or ends the text, is kept as it is.
TEST(Text, CollapsedWhitespaceKeepsEveryOtherByte) {
  EXPECT_EQ(collapse_whitespace("Caf\xC3\xA9 \xC2\xA9 2026\xC2"), "Caf\xC3\xA9 \xC2\xA9 2026\xC2");
  EXPECT_EQ(collapse_whitespace("a\xC2\xA0\xC2\xA0" "b\v\fc\x1f d"), "a b c\x1f d");
  EXPECT_EQ(collapse_whitespace("\xC2"), "\xC2");
  EXPECT_EQ(collapse_whitespace("\xC2\xA0"), "");
  const std::string long_word(5000, 'w');
  EXPECT_EQ(collapse_whitespace(" " + long_word + "\n\n" + long_word + " "), long_word + " " + long_word);
}

// Every string of up to five pieces from spaces, other whitespace, U+00A0,
// a lone 0xC2 and letters collapses as words joined by one space would: the
// text already collapsed (appended whole) and the rest alike.
TEST(Text, CollapsedWhitespaceIsTheWordsJoinedByOneSpace) {
  const std::vector<std::string> pieces{"a", "\xC3\xA9", " ", "\t", "\n", "\r", "\v", "\f", "\xC2\xA0", "\xC2", "bc"};
  const auto words_joined = [](std::string_view s) {
    std::string out, word;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(s[i]);
      const bool nbsp = c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0;
      if (c == ' ' || (c >= '\t' && c <= '\r') || nbsp) {
        if (!word.empty()) out += (out.empty() ? "" : " ") + word;
        word.clear();
        if (nbsp) ++i;
      } else {
        word += static_cast<char>(c);
      }
    }
    if (!word.empty()) out += (out.empty() ? "" : " ") + word;
    return out;
  };
  std::size_t tried = 0;
  std::vector<std::size_t> at(5, 0);
  for (std::size_t length = 0; length <= 5; ++length) {
    std::fill(at.begin(), at.end(), 0);
    while (true) {
      std::string s;
      for (std::size_t i = 0; i < length; ++i) s += pieces[at[i]];
      ASSERT_EQ(collapse_whitespace(s), words_joined(s)) << testing::PrintToString(s);
      std::string out = "x";
      append_collapsed_whitespace(out, s);
      ASSERT_EQ(out, "x" + words_joined(s)) << testing::PrintToString(s);
      ++tried;
      std::size_t i = 0;
      while (i < length && ++at[i] == pieces.size()) at[i++] = 0;
      if (i == length) break;
    }
  }
  EXPECT_EQ(tried, 1u + 11u + 121u + 1331u + 14641u + 161051u);
}

TEST(Text, NfcComposesDecomposedLetters) {
  EXPECT_EQ(nfc("Mu\xCC\x88ller"), "M\xC3\xBCller");  // u + combining diaeresis -> ü
}

TEST(Text, SearchFoldIgnoresCaseAndAccents) {
  EXPECT_EQ(search_fold("Ümlaut CAFÉ"), search_fold("umlaut cafe"));
  EXPECT_EQ(search_fold("Straße"), search_fold("STRASSE"));
}

// ASCII-only text skips utf8proc (issue 22): the result must be what utf8proc gives.
TEST(Text, AsciiTextFoldsAndNormalisesLikeAnyOther) {
  EXPECT_EQ(nfc("Plain ASCII, 12:00 \t~"), "Plain ASCII, 12:00 \t~");
  EXPECT_EQ(search_fold("Open-Air CINEMA #3"), "open-air cinema #3");
  EXPECT_EQ(search_fold("Open-Air CINEMA #3"), search_fold("\xC3\x93pen-Air CINEMA #3").replace(0, 1, "o"));
  EXPECT_EQ(search_fold("ABC"), search_fold("abc\xC2\xAD"));  // a soft hyphen is ignored, ASCII or not
}

TEST(Text, TitleCaseHandlesUnicodeAndApostrophes) {
  EXPECT_EQ(title_case("öffentliche FÜHRUNG"), "Öffentliche Führung");
  EXPECT_EQ(title_case("kids' lab"), "Kids' Lab");
}

TEST(Text, AllCapsNeedsFourLetters) {
  EXPECT_TRUE(is_all_caps("OPEN AIR CONCERT"));
  EXPECT_FALSE(is_all_caps("DJ"));
  EXPECT_FALSE(is_all_caps("Open Air"));
}

TEST(Text, Utf8Validation) {
  EXPECT_TRUE(valid_utf8("Grüße"));
  EXPECT_FALSE(valid_utf8("Gr\xFC\xDF" "e"));  // Latin-1 bytes
  EXPECT_EQ(latin1_to_utf8("Gr\xFC\xDF" "e"), "Grüße");
}

// ASCII is skipped eight bytes at a time: a bad or good sequence at every
// offset around the words, and one cut off at the end, are judged as alone.
TEST(Text, Utf8ValidationAtEveryOffset) {
  for (std::size_t pad = 0; pad < 20; ++pad) {
    const std::string ascii(pad, 'a');
    SCOPED_TRACE(pad);
    EXPECT_TRUE(valid_utf8(ascii));
    EXPECT_TRUE(valid_utf8(ascii + "\xC3\xBC" + ascii));          // ü
    EXPECT_TRUE(valid_utf8(ascii + "\xF0\x9F\x8E\xAB" + ascii));  // a four-byte ticket emoji
    EXPECT_FALSE(valid_utf8(ascii + "\xFC" + ascii));
    EXPECT_FALSE(valid_utf8(ascii + "\xC3"));                       // cut off
    EXPECT_FALSE(valid_utf8(ascii + "\xED\xA0\x80" + ascii));      // a surrogate
    EXPECT_FALSE(valid_utf8(ascii + "\xC0\xAF"));                   // overlong '/'
  }
}

TEST(Text, NormalizeUrlAddsSchemeAndLowersHost) {
  EXPECT_EQ(normalize_url(" www.Example.ORG/Path?Q=1 "), "https://www.example.org/Path?Q=1");
  EXPECT_EQ(normalize_url("HTTP://Example.org"), "http://example.org");
  EXPECT_EQ(normalize_url("not a url"), "not a url");
  EXPECT_EQ(normalize_url(""), "");
}

TEST(Text, SlugifyTransliteratesAndLimits) {
  EXPECT_EQ(slugify("Café Müller: Revisited!", 80), "cafe-muller-revisited");
  EXPECT_EQ(slugify("Straße", 80), "strasse");
  EXPECT_EQ(slugify("aaaa bbbb", 6), "aaaa-b");
  EXPECT_EQ(slugify("日本", 80), "");
}

TEST(Text, SplitList) {
  EXPECT_EQ(split_list(" a; b ;;c ", ';'), (std::vector<std::string>{"a", "b", "c"}));
}

// Issue 13, item 14: the scheme a browser would see.
TEST(UrlScheme, ReadAsABrowserWould) {
  using marquee::url_scheme;
  EXPECT_EQ(url_scheme("https://example.org/"), "https");
  EXPECT_EQ(url_scheme("JaVa\tScRiPt:alert(1)"), "javascript");
  EXPECT_EQ(url_scheme(" \x01javascript:alert(1)"), "javascript");
  EXPECT_EQ(url_scheme("javascript:1,alert(1)"), "javascript");
  EXPECT_EQ(url_scheme("data:text/html,x"), "data");
  EXPECT_EQ(url_scheme("mailto:x@example.org"), "mailto");
  EXPECT_EQ(url_scheme("www.example.org/x"), "");
  EXPECT_EQ(url_scheme("www.example.org:8080/x"), "");
  EXPECT_EQ(url_scheme("/relative:path"), "");
}

// Issue 14: browsers send a textarea's lines with CRLF.
TEST(NormalizeNewlines, CrlfAndLoneCrBecomeLf) {
  EXPECT_EQ(marquee::normalize_newlines("a\r\nb\rc\nd\r\n\r\n"), "a\nb\nc\nd\n\n");
  EXPECT_EQ(marquee::normalize_newlines("plain"), "plain");
  EXPECT_EQ(marquee::normalize_newlines(""), "");
}

// The bound of a key prefix's range: the last code point raised (valid
// UTF-8, as PostgreSQL wants its text), past the surrogates and U+10FFFF.
TEST(Text, APrefixSuccessorRaisesTheLastCodePoint) {
  EXPECT_EQ(prefix_successor("hl27-"), "hl27.");
  EXPECT_EQ(prefix_successor("a\xC3\xBF"), "a\xC4\x80");   // ÿ (U+00FF) → Ā (U+0100), not the bytes C3 C0
  EXPECT_EQ(prefix_successor("a\x7F"), "a\xC2\x80");       // U+007F → U+0080, not a lone 0x80
  EXPECT_EQ(prefix_successor("\xED\x9F\xBF"), "\xEE\x80\x80");  // U+D7FF → U+E000, past the surrogates
  EXPECT_EQ(prefix_successor("a\xF4\x8F\xBF\xBF"), "b");    // U+10FFFF has no successor: the one before is raised
  EXPECT_EQ(prefix_successor("\xF4\x8F\xBF\xBF"), "");
  EXPECT_EQ(prefix_successor(""), "");
  EXPECT_EQ(prefix_successor("a\xFF\xFF"), "b");            // not UTF-8 at the end: by bytes
  EXPECT_TRUE(valid_utf8(prefix_successor("ab\xC3\xBF")));
}
