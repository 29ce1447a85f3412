// The uwsgi packet codec: bytes on the wire against the vars they carry, and every way a
// packet can be malformed.
#include "sim/uwsgi/packet.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace {

using reqtrace::uwsgi::decode_vars;
using reqtrace::uwsgi::encode;
using reqtrace::uwsgi::PacketDecoder;
using reqtrace::uwsgi::Vars;

std::string bytes(std::initializer_list<int> list) {
  std::string out;
  for (int b : list) out.push_back(static_cast<char>(b));
  return out;
}

TEST(UwsgiEncode, HeaderThenSizedKeysAndValues) {
  const std::string packet = encode({{"REQUEST_METHOD", "GET"}, {"PATH_INFO", "/"}});
  const std::string block = bytes({14, 0}) + "REQUEST_METHOD" + bytes({3, 0}) + "GET" +
                            bytes({9, 0}) + "PATH_INFO" + bytes({1, 0}) + "/";
  EXPECT_EQ(packet, bytes({0, static_cast<int>(block.size()), 0, 0}) + block);
}

TEST(UwsgiEncode, DatasizeIsLittleEndianAndModifiersKept) {
  const std::string packet = encode({{"K", std::string(300, 'v')}}, 5, 7);
  const std::size_t datasize = 2 + 1 + 2 + 300;
  EXPECT_EQ(static_cast<unsigned char>(packet[0]), 5);
  EXPECT_EQ(static_cast<unsigned char>(packet[1]), datasize & 0xff);
  EXPECT_EQ(static_cast<unsigned char>(packet[2]), datasize >> 8);
  EXPECT_EQ(static_cast<unsigned char>(packet[3]), 7);
  EXPECT_EQ(packet.size(), 4 + datasize);
}

TEST(UwsgiEncode, EmptyVarsIsAHeaderOnly) {
  EXPECT_EQ(encode({}), bytes({0, 0, 0, 0}));
}

TEST(UwsgiEncode, RefusesWhatDoesNotFitAU16) {
  EXPECT_THROW(encode({{"K", std::string(65536, 'v')}}), std::length_error);
  EXPECT_THROW(encode({{std::string(65536, 'k'), "v"}}), std::length_error);
  // Each value fits, the block does not.
  EXPECT_THROW(encode({{"A", std::string(40000, 'v')}, {"B", std::string(40000, 'v')}}),
               std::length_error);
  // Exactly 65535 bytes of block is the largest packet.
  EXPECT_NO_THROW(encode({{"K", std::string(65535 - 5, 'v')}}));
}

TEST(UwsgiDecoder, RoundTripsWholePacket) {
  const Vars vars = {
      {"REQUEST_METHOD", "POST"}, {"PATH_INFO", "/login"}, {"CONTENT_LENGTH", "9"}, {"EMPTY", ""}};
  PacketDecoder decoder;
  const std::string packet = encode(vars, 0, 0);
  EXPECT_EQ(decoder.feed(packet + "user=anna"), packet.size());  // the body is left alone
  ASSERT_TRUE(decoder.complete()) << decoder.error();
  EXPECT_EQ(decoder.packet().vars, vars);
  EXPECT_EQ(decoder.packet().modifier1, 0);
  EXPECT_EQ(decoder.datasize(), packet.size() - 4);
  EXPECT_EQ(decoder.raw(), packet);
  EXPECT_EQ(decoder.feed("more"), 0u);
}

TEST(UwsgiDecoder, ByteByByteGivesTheSamePacket) {
  const Vars vars = {{"REQUEST_METHOD", "GET"}, {"QUERY_STRING", "a=1&b=2"}};
  const std::string packet = encode(vars, 0, 3);
  PacketDecoder decoder;
  for (std::size_t i = 0; i < packet.size(); ++i) {
    EXPECT_EQ(decoder.state(), PacketDecoder::State::NeedMore) << "at byte " << i;
    EXPECT_EQ(decoder.feed(packet.substr(i, 1)), 1u);
  }
  ASSERT_TRUE(decoder.complete()) << decoder.error();
  EXPECT_EQ(decoder.packet().vars, vars);
  EXPECT_EQ(decoder.packet().modifier2, 3);
}

TEST(UwsgiDecoder, HeaderOnlyPacketIsCompleteWithNoVars) {
  PacketDecoder decoder;
  decoder.feed(bytes({0, 0, 0, 0}));
  ASSERT_TRUE(decoder.complete());
  EXPECT_TRUE(decoder.packet().vars.empty());
}

TEST(UwsgiDecoder, KeepsRepeatedVarsInOrder) {
  const Vars vars = {{"HTTP_COOKIE", "a=1"}, {"HTTP_COOKIE", "b=2"}};
  PacketDecoder decoder;
  decoder.feed(encode(vars));
  ASSERT_TRUE(decoder.complete());
  EXPECT_EQ(decoder.packet().vars, vars);
  EXPECT_EQ(*reqtrace::uwsgi::find_var(decoder.packet().vars, "HTTP_COOKIE"), "a=1");
  EXPECT_EQ(reqtrace::uwsgi::find_var(decoder.packet().vars, "NOPE"), nullptr);
}

// Each malformed vars block with the words its error must contain.
struct Malformed {
  const char* name;
  std::string block;
  const char* expected;
};

TEST(UwsgiDecoder, RefusesMalformedVarsBlocks) {
  const Malformed cases[] = {
      {"one byte where a key size belongs", bytes({3}), "truncated key size at byte 0"},
      {"key longer than the block", bytes({9, 0}) + "ABC", "key size 9 at byte 0 runs past"},
      {"empty key", bytes({0, 0, 1, 0}) + "v", "empty key at byte 0"},
      {"key without a value size", bytes({1, 0}) + "K", "truncated value of K size at byte 3"},
      {"value past the block", bytes({1, 0}) + "K" + bytes({5, 0}) + "ab",
       "value of K size 5 at byte 3 runs past"},
      {"good var then garbage", bytes({1, 0}) + "K" + bytes({1, 0}) + "v" + bytes({7}),
       "truncated key size at byte 6"},
      {"control bytes in a key are escaped", bytes({2, 0, 1, '\n'}), "value of \\x01\\x0A size"},
  };
  for (const auto& c : cases) {
    Vars vars;
    std::string error;
    EXPECT_FALSE(decode_vars(c.block, vars, error)) << c.name;
    EXPECT_NE(error.find(c.expected), std::string::npos) << c.name << ": " << error;

    PacketDecoder decoder;
    const std::string header = bytes({0, static_cast<int>(c.block.size()), 0, 0});
    EXPECT_EQ(decoder.feed(header + c.block + "body"), header.size() + c.block.size());
    EXPECT_TRUE(decoder.failed()) << c.name;
    EXPECT_EQ(decoder.error(), error) << c.name;
    EXPECT_TRUE(decoder.packet().vars.empty()) << c.name;
  }
}

TEST(UwsgiDecoder, WaitsForTheWholeBlockThatDatasizeAnnounces) {
  PacketDecoder decoder;
  const std::string packet = encode({{"K", "v"}});
  decoder.feed(packet.substr(0, packet.size() - 1));
  EXPECT_EQ(decoder.state(), PacketDecoder::State::NeedMore);
  decoder.feed(packet.substr(packet.size() - 1));
  EXPECT_TRUE(decoder.complete());
}

}  // namespace
