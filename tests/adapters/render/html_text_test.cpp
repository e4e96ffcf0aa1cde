#include <gtest/gtest.h>

#include "adapters/formats/html_text.hpp"
#include "adapters/render/markdown.hpp"

using namespace marquee;

TEST(HtmlText, DetectsTags) {
  EXPECT_TRUE(looks_like_html("<p>Hello</p>"));
  EXPECT_TRUE(looks_like_html("Line<br/>next"));
  EXPECT_FALSE(looks_like_html("a < b and c > d"));
  EXPECT_FALSE(looks_like_html("**Markdown**"));
}

TEST(HtmlText, ParagraphsListsLinksAndEmphasis) {
  const std::string md = html_to_markdown(
      "<p>The IR passes are a <em>happy</em> place &amp; <strong>easy</strong>.</p>\n<p>See "
      "<a href=\"https://llvm.org\">LLVM</a> or <a href=\"javascript:alert(1)\">this</a>.</p>"
      "<ul><li>one</li><li>two_three</li></ul><script>alert(2)</script>");
  EXPECT_EQ(md,
            "The IR passes are a *happy* place & **easy**.\n\nSee [LLVM](<https://llvm.org>) or this.\n\n"
            "- one\n- two\\_three");
  const std::string html = markdown_to_html(md);
  EXPECT_NE(html.find("<a href=\"https://llvm.org\">LLVM</a>"), std::string::npos) << html;
  EXPECT_EQ(html.find("javascript"), std::string::npos);
  EXPECT_EQ(html.find("alert(2)"), std::string::npos);
}

TEST(Markdown, SafeModeDropsRawHtmlAndUnsafeLinks) {
  const std::string html = markdown_to_html("Hi <img src=x onerror=alert(1)>\n\n[x](javascript:alert(2)) **b**");
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("javascript:"), std::string::npos);
  EXPECT_NE(html.find("<strong>b</strong>"), std::string::npos);
}
