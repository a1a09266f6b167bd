#include "report/text_escape.h"

#include <gtest/gtest.h>
#include <string>

using namespace ptxwb::reports;

TEST(TextEscape, HtmlEscapesEveryMarkupCharacter) {
    EXPECT_EQ(escapeHtml("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
    EXPECT_EQ(escapeHtml("a & \"b\" 'c'"), "a &amp; &quot;b&quot; &#39;c&#39;");
}

TEST(TextEscape, XmlReplacesCharactersXmlCannotCarry) {
    EXPECT_EQ(escapeXml("x\x01y\tz"), "x\xEF\xBF\xBDy\tz");
    EXPECT_EQ(escapeXml("]]> <a b='c'>"), "]]&gt; &lt;a b=&apos;c&apos;&gt;");
}

TEST(TextEscape, MarkdownNeutralisesFormattingAndHtml) {
    EXPECT_EQ(escapeMarkdown("a|b `c` *d* <i>"), "a\\|b \\`c\\` \\*d\\* &lt;i&gt;");
    EXPECT_EQ(escapeMarkdown("[link](http://x) ![img](y)"), "\\[link\\](http://x) !\\[img\\](y)");
    EXPECT_EQ(escapeMarkdown("550.54.15 sm_90"), "550.54.15 sm\\_90");
    EXPECT_EQ(escapeMarkdown("two\nlines"), "two lines");
}

TEST(TextEscape, FenceIsLongerThanAnyBacktickRunInside) {
    EXPECT_EQ(markdownFence("plain"), "```");
    EXPECT_EQ(markdownFence("has ```` four"), "`````");
}

TEST(TextEscape, Base64MatchesRfc4648Vectors) {
    auto b64 = [](std::string s) {
        return base64Encode({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()});
    };
    EXPECT_EQ(b64(""), "");
    EXPECT_EQ(b64("f"), "Zg==");
    EXPECT_EQ(b64("fo"), "Zm8=");
    EXPECT_EQ(b64("foo"), "Zm9v");
    EXPECT_EQ(b64("foob"), "Zm9vYg==");
    EXPECT_EQ(b64("fooba"), "Zm9vYmE=");
    EXPECT_EQ(b64("foobar"), "Zm9vYmFy");
    EXPECT_EQ(base64Encode(std::vector<std::uint8_t>{0xff, 0xfe, 0xfd}), "//79");
}

TEST(TextEscape, SlugsAreFileNameSafe) {
    EXPECT_EQ(slugify("BatchedQ6KGemvKernel vs Q6KGemvKernel M=4"),
              "batchedq6kgemvkernel-vs-q6kgemvkernel-m-4");
    EXPECT_EQ(slugify("<script>alert(1)</script>"), "script-alert-1-script");
    EXPECT_EQ(slugify("../../etc/passwd"), "etc-passwd");
    EXPECT_EQ(slugify("%%%"), "check");
    EXPECT_EQ(slugify(std::string(100, 'a')).size(), 48u);
}
