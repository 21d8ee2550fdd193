// io/output_stream.h: a std::ostream onto an OutputFile, for writers that stream (the
// validation report): what it writes goes to the file's temporary name in 64 KiB blocks,
// and the file appears only when the caller commits it. A write that fails throws the
// file's Error from the stream operation (badbit is an exception here, not a flag to forget).
#pragma once

#include <ostream>
#include <streambuf>
#include <vector>

#include "sendhub/plugin.h"

namespace sendhub::io {

class OutputStreamBuf final : public std::streambuf {
 public:
  explicit OutputStreamBuf(OutputFile& file) : file_(file), buffer_(65536) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }

 protected:
  int_type overflow(int_type c) override {
    drain();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override {
    drain();
    return 0;
  }

 private:
  void drain() {
    file_.write(std::string_view(pbase(), static_cast<std::size_t>(pptr() - pbase())));
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }

  OutputFile& file_;
  std::vector<char> buffer_;
};

class OutputStream final : public std::ostream {
 public:
  explicit OutputStream(OutputFile& file) : std::ostream(nullptr), buf_(file) {
    rdbuf(&buf_);
    exceptions(std::ios::badbit);
  }

 private:
  OutputStreamBuf buf_;
};

}  // namespace sendhub::io
