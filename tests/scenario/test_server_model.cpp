#include <gtest/gtest.h>

#include "scenario/scenario.hpp"

namespace reqtrace::scenario {
namespace {

TEST(ServerModel, NamesRoundTrip) {
  for (ServerModel model : {ServerModel::Dev, ServerModel::DevThreaded, ServerModel::Threaded,
                            ServerModel::Prefork, ServerModel::ForkPerRequest, ServerModel::Cgi})
    EXPECT_EQ(server_model_from(name_of(model)), model) << name_of(model);
}

TEST(ServerModel, NamesAreTheFormatsWords) {
  EXPECT_EQ(name_of(ServerModel::Dev), "dev");
  EXPECT_EQ(name_of(ServerModel::DevThreaded), "dev-threaded");
  EXPECT_EQ(name_of(ServerModel::Threaded), "threaded");
  EXPECT_EQ(name_of(ServerModel::Prefork), "prefork");
  EXPECT_EQ(name_of(ServerModel::ForkPerRequest), "fork-per-request");
  EXPECT_EQ(name_of(ServerModel::Cgi), "cgi");
}

TEST(ServerModel, UnknownNamesAreInvalid) {
  EXPECT_EQ(server_model_from("invalid"), ServerModel::Invalid);
  EXPECT_EQ(server_model_from("Dev"), ServerModel::Invalid);
  EXPECT_EQ(server_model_from("fork_per_request"), ServerModel::Invalid);
  EXPECT_EQ(server_model_from(""), ServerModel::Invalid);
}

}  // namespace
}  // namespace reqtrace::scenario
