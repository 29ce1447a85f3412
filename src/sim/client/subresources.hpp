// What a page makes the browser fetch next: its images, scripts and stylesheets, found in the HTML.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace reqtrace::client {

struct Subresource {
  std::string kind;  // "img", "script" or "stylesheet": the tag that asked for it
  std::string url;   // as the page wrote it
  std::string path;  // the request target it resolves to: "/static/app.css"
};

struct SkippedLink {
  std::string url;  // as the page wrote it
  std::string why;  // "data: URL: the content is in the page"
};

struct PageLinks {
  std::vector<Subresource> fetch;    // in document order, each path once
  std::vector<SkippedLink> skipped;  // links the browser does not fetch here, and why
};

// Scans `html` as a browser's preload scanner does: <img src>, <script src> and
// <link rel="stylesheet" href>, whatever the case of names, the order of attributes or the
// quoting of values; comments and the text inside <script>, <style>, <textarea> and <title> are
// not markup. Only links to the page's own server are kept: paths ("/a.css") and relative URLs
// ("img/logo.png", "../a.css"), resolved against `page_target`, the page's own request target.
// Full URLs (another origin), protocol-relative ones ("//cdn/x.js") and data: URLs are skipped.
PageLinks find_subresources(std::string_view html, std::string_view page_target);

// RFC 3986's reference resolution for the same-origin cases: `reference` (a path, a relative
// path or a query) against the page's request target, dot segments removed, fragment dropped,
// and bytes a request target may not hold percent-encoded.
std::string resolve_reference(std::string_view reference, std::string_view page_target);

}  // namespace reqtrace::client
