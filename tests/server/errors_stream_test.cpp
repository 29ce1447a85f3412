// wsgi.errors as the server keeps it: stderr at once, the trace a line at a time.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/wsgi/errors_stream.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::wsgi {
namespace {

class ErrorsStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    recorder_.add_sink([this](const std::vector<trace::Event>& batch) {
      said_.insert(said_.end(), batch.begin(), batch.end());
    });
  }
  // The texts the trace was told, in order.
  std::vector<std::string> texts() {
    recorder_.flush();
    std::vector<std::string> out;
    for (const auto& event : said_) {
      EXPECT_EQ(event.phase, trace::Phase::WsgiErrors);
      EXPECT_EQ(event.req, 7);
      out.push_back(nlohmann::json::parse(event.data)["text"]);
    }
    return out;
  }

  std::vector<trace::Event> said_;  // before the recorder: its last flush lands here
  trace::Recorder recorder_;
  trace::Emitter app_{&recorder_, trace::Actor::App, "app"};
};

TEST_F(ErrorsStreamTest, AWriteThatEndsALineSaysTheLinesItEnds) {
  ErrorsStream errors;
  ::testing::internal::CaptureStderr();
  errors.write("half a ", app_, 7);
  errors.write("line\nand ", app_, 7);
  errors.write("more", app_, 7);
  errors.write("\n", app_, 7);
  errors.write("two\nlines\n", app_, 7);
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "half a line\nand more\ntwo\nlines\n");
  EXPECT_EQ(texts(), (std::vector<std::string>{"half a line\n", "and more\n", "two\nlines\n"}));
  EXPECT_EQ(errors.text(), "half a line\nand more\ntwo\nlines\n");
}

TEST_F(ErrorsStreamTest, FlushSaysALineLeftUnfinishedOnce) {
  ErrorsStream errors;
  ::testing::internal::CaptureStderr();
  errors.write("no newline", app_, 7);
  errors.flush(app_, 7);
  errors.flush(app_, 7);
  ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(texts(), (std::vector<std::string>{"no newline"}));
}

TEST_F(ErrorsStreamTest, ARunawayWriteIsCappedInTheTraceNotOnStderr) {
  ErrorsStream errors;
  const std::string huge(20000, 'x');
  ::testing::internal::CaptureStderr();
  errors.write(huge + "\n", app_, 7);
  EXPECT_EQ(::testing::internal::GetCapturedStderr().size(), huge.size() + 1);
  recorder_.flush();
  ASSERT_EQ(said_.size(), 1u);
  const auto data = nlohmann::json::parse(said_[0].data);
  EXPECT_EQ(data["text"].get<std::string>().size(), 8192u);
  EXPECT_EQ(data["length"], huge.size() + 1);
  EXPECT_EQ(data["truncated"], true);
}

TEST_F(ErrorsStreamTest, WithoutAVoiceItStillLogs) {
  ErrorsStream errors;
  ::testing::internal::CaptureStderr();
  errors.write("quiet\n", trace::Emitter(), 7);
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "quiet\n");
  EXPECT_EQ(texts(), std::vector<std::string>{});
  EXPECT_EQ(errors.text(), "quiet\n");
}

}  // namespace
}  // namespace reqtrace::wsgi
