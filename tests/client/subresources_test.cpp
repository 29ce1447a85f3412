// What a page makes the browser fetch: pairs of HTML and the request targets a browser would ask
// for, with the links it leaves alone and why.
#include "sim/client/subresources.hpp"

#include <gtest/gtest.h>

#include "sim/client/browser.hpp"

namespace reqtrace::client {
namespace {

using Paths = std::vector<std::string>;

Paths paths(const PageLinks& links) {
  Paths out;
  for (const auto& link : links.fetch) out.push_back(link.path);
  return out;
}

TEST(FindSubresources, ImgScriptAndStylesheetInDocumentOrder) {
  const auto links = find_subresources(R"(<html><head>
    <link rel="stylesheet" href="/static/site.css">
    <script src="/static/app.js"></script>
  </head><body><img src="/static/logo.png" alt="logo"></body></html>)",
                                       "/");
  EXPECT_EQ(paths(links), (Paths{"/static/site.css", "/static/app.js", "/static/logo.png"}));
  ASSERT_EQ(links.fetch.size(), 3u);
  EXPECT_EQ(links.fetch[0].kind, "stylesheet");
  EXPECT_EQ(links.fetch[1].kind, "script");
  EXPECT_EQ(links.fetch[2].kind, "img");
  EXPECT_TRUE(links.skipped.empty());
}

TEST(FindSubresources, ToleratesCaseQuotesAndAttributeOrder) {
  const auto links = find_subresources(
      "<IMG ALT=x SRC='/a.png'><img\nsrc=/b.png\n/><LINK HREF=\"/c.css\" REL=\"Alternate "
      "StyleSheet\"><script defer src = \"/d.js\" ></script><img src=\"/a.png\" src=\"/e.png\">",
      "/");
  EXPECT_EQ(paths(links), (Paths{"/a.png", "/b.png", "/c.css", "/d.js"}));
}

TEST(FindSubresources, OnlyStylesheetLinksAndTagsThatNameASource) {
  const auto links = find_subresources(
      R"(<link rel="icon" href="/favicon.ico"><link rel="preload" href="/f.woff2">
         <link href="/no-rel.css"><script>inline()</script><img alt="no source">
         <a href="/page">a link is not fetched</a><iframe src="/frame"></iframe>)",
      "/");
  EXPECT_TRUE(links.fetch.empty());
}

TEST(FindSubresources, CommentsAndScriptTextAreNotMarkup) {
  const auto links = find_subresources(
      R"(<!-- <img src="/commented.png"> --><script>var s = '<img src="/in-script.png">';</script>
         <style>/* <img src="/in-style.png"> */</style><title><img src="/t.png"></title>
         <TEXTAREA><img src="/typed.png"></TEXTAREA><img src="/real.png">)",
      "/");
  EXPECT_EQ(paths(links), (Paths{"/real.png"}));
}

TEST(FindSubresources, SkipsOtherOriginsDataUrlsAndDuplicatesSayingWhy) {
  const auto links = find_subresources(
      R"(<img src="/logo.png"><img src="/logo.png#again"><img src="https://cdn.example.com/x.png">
         <script src="//cdn.example.com/lib.js"></script><img src="data:image/png;base64,AAAA">
         <img src="HTTP://other.example/y.png"><img src="">)",
      "/");
  EXPECT_EQ(paths(links), (Paths{"/logo.png"}));
  ASSERT_EQ(links.skipped.size(), 6u);
  EXPECT_NE(links.skipped[0].why.find("already fetched"), std::string::npos);
  EXPECT_NE(links.skipped[1].why.find("https:"), std::string::npos);
  EXPECT_NE(links.skipped[2].why.find("another host"), std::string::npos);
  EXPECT_NE(links.skipped[3].why.find("data:"), std::string::npos);
  EXPECT_EQ(links.skipped[4].url, "HTTP://other.example/y.png");
}

TEST(FindSubresources, RelativeUrlsResolveAgainstThePagesPath) {
  const auto links = find_subresources(
      R"(<img src="img/pic.png"><link rel=stylesheet href="../static/site.css">
         <script src="./js/app.js?v=2&amp;x=1"></script><img src="  spaced name.png ">)",
      "/blog/post?id=7");
  EXPECT_EQ(paths(links), (Paths{"/blog/img/pic.png", "/static/site.css", "/blog/js/app.js?v=2&x=1",
                                 "/blog/spaced%20name.png"}));
}

TEST(ResolveReference, Rfc3986SameOriginCases) {
  EXPECT_EQ(resolve_reference("/a/b", "/x/y"), "/a/b");
  EXPECT_EQ(resolve_reference("c", "/x/y"), "/x/c");
  EXPECT_EQ(resolve_reference("c", "/x/"), "/x/c");
  EXPECT_EQ(resolve_reference("../c", "/x/y/z"), "/x/c");
  EXPECT_EQ(resolve_reference("../../../c", "/x/y"), "/c");
  EXPECT_EQ(resolve_reference("./", "/x/y"), "/x/");
  EXPECT_EQ(resolve_reference("..", "/x/y/z"), "/x/");
  EXPECT_EQ(resolve_reference("?v=2", "/x/y?old"), "/x/y?v=2");
  EXPECT_EQ(resolve_reference("/a/./b/../c#frag", "/"), "/a/c");
  EXPECT_EQ(resolve_reference("/caf\xc3\xa9.png", "/"), "/caf%C3%A9.png");
}

TEST(IsHtml, ByMediaTypeWhateverItsParametersOrCase) {
  EXPECT_TRUE(is_html("text/html; charset=utf-8"));
  EXPECT_TRUE(is_html(" Text/HTML "));
  EXPECT_FALSE(is_html("text/plain"));
  EXPECT_FALSE(is_html("application/xhtml+xml"));
  EXPECT_FALSE(is_html(""));
}

}  // namespace
}  // namespace reqtrace::client
