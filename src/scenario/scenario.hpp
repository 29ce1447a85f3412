// A scenario: the topology to run, the app it serves, the requests it sends, and its lesson.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "trace/event.hpp"

namespace reqtrace::scenario {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// What a route's view does when it is called.
struct Returns {
  std::string body;  // may name the rule's variables: "Hello, {name}!"
  int status = 200;
  HeaderList headers;
  std::string content_type = "text/html; charset=utf-8";  // Flask's default
  int delay_ms = 0;                 // the view sleeps this long, as a slow page would
  std::string raise;                // an exception name: the view raises it instead of returning
  std::string echo;                 // a form field whose value fills "{<field>}" in the body
  std::vector<std::string> stream;  // when set, the view yields these chunks one by one
};

struct Route {
  std::string rule;  // Werkzeug syntax: "/user/<name>", "/post/<int:post_id>"
  std::string endpoint;
  std::vector<std::string> methods = {"GET"};
  bool strict_slashes = true;
  Returns returns;
};

// Each mirrors a real server: dev is Werkzeug's BaseWSGIServer (run_simple without threaded or
// processes), dev-threaded its ThreadedWSGIServer (app.run() and flask run), threaded gunicorn's
// gthread worker, prefork gunicorn's sync workers under its arbiter, fork-per-request Werkzeug's
// ForkingWSGIServer (run_simple(processes=N)), cgi a CGI server (RFC 3875).
enum class ServerModel { Invalid, Dev, DevThreaded, Threaded, Prefork, ForkPerRequest, Cgi };

struct Server {
  ServerModel model = ServerModel::Dev;
  // Threads or processes, by model; not given: the model's default (topology::workers). For
  // fork-per-request it is Werkzeug's processes, the cap on children alive at once, and required.
  std::optional<int> workers;
  std::size_t max_body_bytes = 1 << 20;  // the body limit, 1 MiB by default
  int read_timeout_ms = 5000;            // a silent client is cut off after this
  int header_timeout_ms = 10000;  // the request head must be whole this soon after its first byte
  // gunicorn's gthread keepalive: the connection may carry a next request. Only the threaded
  // model takes it (the other real servers always close); off by default, as --keep-alive 0.
  bool keep_alive = false;
  // gunicorn's timeout (-t, config.py Timeout), for prefork and threaded: its arbiter kills a
  // worker silent this long and forks another; 0: never. gunicorn's default, 30 s.
  int timeout_ms = 30000;
  // gunicorn's preload_app (--preload), for prefork and threaded: the arbiter imports the app
  // once before forking; without it each worker imports its own after the fork.
  bool preload = false;
};

// How the proxy hands a request on: nginx's proxy_pass (HTTP) or uwsgi_pass (the uwsgi protocol).
enum class UpstreamProtocol { Invalid, Http, Uwsgi };

// The nginx-like proxy in front of the server: static files itself, everything else upstream.
struct Proxy {
  // The folder static files come from: a name under assets/ ("site") or an absolute path.
  // Empty: the proxy serves no static files and forwards everything.
  std::string static_root;
  std::string static_prefix = "/static/";  // request paths starting with it are static files
  UpstreamProtocol upstream = UpstreamProtocol::Http;
  int upstream_timeout_ms = 60000;  // nginx's proxy_read_timeout: upstream silent this long: 504
  int connect_timeout_ms = 60000;   // nginx's proxy_connect_timeout
  // proxy_set_header lines, in order: the field, and its value with nginx variables in it
  // ("$remote_addr"); an empty value keeps the field from being passed. nginx's defaults (Host
  // $proxy_host, Connection close) apply to the fields these do not name.
  std::vector<std::pair<std::string, std::string>> proxy_set_header;
  bool proxy_buffering = true;  // nginx's proxy_buffering (uwsgi_buffering for uwsgi)
};

// The nginx variables a proxy_set_header value may name (without "$"); "http_" followed by a
// header name is one too.
inline constexpr std::string_view kProxyVariables[] = {"remote_addr",
                                                       "remote_port",
                                                       "proxy_add_x_forwarded_for",
                                                       "scheme",
                                                       "host",
                                                       "proxy_host",
                                                       "proxy_port",
                                                       "server_name",
                                                       "server_port",
                                                       "server_addr",
                                                       "server_protocol",
                                                       "request_uri",
                                                       "request_method",
                                                       "query_string",
                                                       "args",
                                                       "document_root"};

struct Topology {
  std::optional<Proxy> proxy;  // none: clients talk to the server directly
  Server server;
  std::vector<std::string>
      middleware;  // names of WSGI middleware wrapping wsgi_app, outermost first
};

struct Request {
  std::string method = "GET";
  std::string path = "/";
  HeaderList headers;
  std::string body;
  std::map<std::string, std::string> form;  // sent as application/x-www-form-urlencoded
  int clients = 1;           // browsers sending it at the same moment (the crowd lesson)
  bool subresources = true;  // an HTML answer's images, scripts and stylesheets are fetched too
};

struct Tracked {
  std::string var;    // e.g. "server.state"
  std::string label;  // e.g. "WSGI Server State"
  std::string start;  // its value before anything has happened
};

// Where a quiz or a key moment sits: a phase of a request, not a step number.
struct Anchor {
  trace::Phase phase = trace::Phase::Invalid;
  int req = 1;
};

// choice: asked after its step; predict: before it (what happens next?); value: type the value
// of a tracked variable. Invalid first, so an unknown name is caught rather than taken for a kind.
enum class QuizKind { Invalid, Choice, Predict, Value };

// What a predict quiz asks of its step: its phase, the actor who acts, or a tracked var's value.
enum class PredictAbout { Invalid, Phase, Actor, Var };

struct Quiz {
  std::string id;
  QuizKind kind = QuizKind::Invalid;
  Anchor at;
  std::string question;
  std::vector<std::string> choices;          // the text each choice shows
  std::vector<std::string> choice_values;    // what each choice stands for; its text unless given
  PredictAbout about = PredictAbout::Phase;  // predict only
  nlohmann::json answer;  // an index for choice; text for value; for predict, graded by the trace
  std::string var;        // for value, and predict about var: the tracked variable asked about
  std::vector<std::string> accept;  // value only: other ways to type the author's answer ("308")
  std::string hint;
  std::string explanation;
};

// What to say at a phase, chosen by how the request's response ends: the status class the app
// gave start_response ("2xx" .. "5xx"), else `text`.
struct NarrationText {
  std::string text;                              // when no status class below matches; may be empty
  std::map<std::string, std::string> by_status;  // "1xx" .. "5xx" -> what to say
};

// What to say when a request reaches a phase: chosen first by the actor of the event (a server
// refusing a request and a view raising are both "error"), then by status class.
struct Narration {
  NarrationText any;                               // whoever acts
  std::map<trace::Actor, NarrationText> by_actor;  // this actor's own words, when given
};

struct KeyMoment {
  Anchor at;
  std::string title;
  std::string text;
};

struct Scenario {
  std::string id;
  std::string title;
  std::string summary;
  Topology topology;
  std::vector<Route> routes;     // the C++ Flask app's; empty when `wsgi` names a real app instead
  std::string wsgi;              // "app": {"wsgi": "FILE.py[:NAME]"}: a real Python WSGI app
  std::filesystem::path folder;  // the scenario file's folder, where a relative `wsgi` starts
  std::vector<Request> requests;
  std::vector<Tracked> track;
  std::map<std::string, Narration> narration;  // phase name -> what to say at it
  std::vector<Quiz> quizzes;
  std::vector<KeyMoment> key_moments;
  std::vector<std::string> snapshot;  // the concept snapshot: short lines a student keeps
  nlohmann::json source;              // the document as written, embedded in traces
};

// The WSGI middleware a scenario may wrap wsgi_app in: sim/flask's middleware_names(), which builds
// them (the scenario module knows nothing of sim/; a test keeps the two lists equal).
inline constexpr std::string_view kMiddlewareNames[] = {"proxy_fix", "timing"};
bool is_middleware(std::string_view name);

std::string_view name_of(ServerModel model);
ServerModel server_model_from(std::string_view name);
std::string_view name_of(UpstreamProtocol protocol);
UpstreamProtocol upstream_protocol_from(std::string_view name);  // Invalid when unknown
std::string_view name_of(QuizKind kind);
QuizKind quiz_kind_from(std::string_view name);  // Invalid when unknown
std::string_view name_of(PredictAbout about);
PredictAbout predict_about_from(std::string_view name);  // Invalid when unknown

}  // namespace reqtrace::scenario
