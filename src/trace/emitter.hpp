// What an instrumented part of the stack holds to say "I am doing this now".
#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "trace/event.hpp"

namespace reqtrace::trace {

class Recorder;

// How a message quotes bytes it is about: 'Hello from Flask!', cut at `max`
// characters with "…", line breaks shown as spaces so the message stays one line.
std::string quoted_preview(std::string_view text, std::size_t max = 60);

// An actor's voice on one timeline lane. Copyable and cheap; an Emitter without
// a recorder says nothing, so the stack runs untraced at full speed.
class Emitter {
 public:
  Emitter() = default;
  Emitter(Recorder* recorder, Actor actor, std::string lane)
      : recorder_(recorder), actor_(actor), lane_(std::move(lane)) {}

  void operator()(Phase phase, int req, int level, std::string msg, Vars vars = {}) const;
  void operator()(Phase phase, int req, int level, std::string msg, Vars vars,
                  const nlohmann::json& data) const;

  bool enabled() const { return recorder_ != nullptr; }
  Recorder* recorder() const { return recorder_; }
  const std::string& lane() const { return lane_; }
  Actor actor() const { return actor_; }
  Emitter on_lane(std::string lane) const { return Emitter(recorder_, actor_, std::move(lane)); }

 private:
  void send(Phase phase, int req, int level, std::string msg, Vars vars, std::string data) const;

  Recorder* recorder_ = nullptr;
  Actor actor_ = Actor::Invalid;
  std::string lane_;
};

}  // namespace reqtrace::trace
