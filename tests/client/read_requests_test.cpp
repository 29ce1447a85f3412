// The "requests" section's crowd and subresource keys: read into the model, or refused with
// file:line:col, the JSON pointer and what was expected.
#include <gtest/gtest.h>

#include "scenario/load.hpp"

namespace reqtrace::scenario {
namespace {

using Strings = std::vector<std::string>;

std::string document(const std::string& requests, const std::string& quizzes = "[]") {
  return "{\"id\": \"x\", \"title\": \"T\",\n"
         "\"app\": {\"routes\": [{\"rule\": \"/\", \"endpoint\": \"home\"}]},\n"
         "\"requests\": " +
         requests + ",\n\"quizzes\": " + quizzes + "}";
}

Strings problems(const std::string& text) {
  Loaded loaded = load_text(text, "s.json");
  Strings out;
  for (const Problem& problem : loaded.problems) out.push_back(problem.to_string());
  return out;
}

TEST(ReadRequests, ClientsAndSubresourcesDefaultToOneBrowserFetchingEverything) {
  Loaded loaded = load_text(document(R"([{"path": "/"}])"), "s.json");
  ASSERT_TRUE(loaded) << loaded.problems[0].to_string();
  EXPECT_EQ(loaded.scenario->requests[0].clients, 1);
  EXPECT_TRUE(loaded.scenario->requests[0].subresources);
}

TEST(ReadRequests, ReadsACrowdAndSubresourcesOff) {
  Loaded loaded = load_text(
      document(R"([{"path": "/report", "clients": 30}, {"path": "/", "subresources": false}])"),
      "s.json");
  ASSERT_TRUE(loaded) << loaded.problems[0].to_string();
  EXPECT_EQ(loaded.scenario->requests[0].clients, 30);
  EXPECT_TRUE(loaded.scenario->requests[0].subresources);
  EXPECT_EQ(loaded.scenario->requests[1].clients, 1);
  EXPECT_FALSE(loaded.scenario->requests[1].subresources);
}

TEST(ReadRequests, BadValuesNameThePlaceAndTheExpectation) {
  EXPECT_EQ(problems(document(R"([{"path": "/", "clients": 0},
  {"path": "/", "clients": 201}, {"path": "/", "clients": "many"},
  {"path": "/", "clients": 2.5, "subresources": "no"}])")),
            (Strings{
                "s.json:3:39: /requests/0/clients: expected an integer from 1 to 200, got 0",
                "s.json:4:28: /requests/1/clients: expected an integer from 1 to 200, got 201",
                ("s.json:4:59: /requests/2/clients: expected an integer from 1 to 200, got "
                 "\"many\""),
                "s.json:5:28: /requests/3/clients: expected an integer from 1 to 200, got 2.5",
                "s.json:5:49: /requests/3/subresources: expected true or false, got \"no\"",
            }));
}

TEST(ReadRequests, EveryClientsRequestCanBeAnchoredTo) {
  const std::string quiz =
      R"([{"id": "q", "kind": "choice", "question": "?", "choices": ["a", "b"], "answer": 0,
           "at": {"phase": "calling_app", "req": REQ}}])";
  auto with_req = [&](const std::string& req) {
    std::string text = quiz;
    text.replace(text.find("REQ"), 3, req);
    return problems(document(R"([{"path": "/", "clients": 30}, {"path": "/"}])", text));
  };
  EXPECT_EQ(with_req("31"), Strings{});
  ASSERT_EQ(with_req("32").size(), 1u);
  EXPECT_NE(with_req("32")[0].find("/quizzes/0/at/req: expected a request number from 1 to 31"),
            std::string::npos)
      << with_req("32")[0];
}

}  // namespace
}  // namespace reqtrace::scenario
