#include "io/byte_codec.h"

#include "sendhub/error.h"

namespace sendhub::io {

void ByteReader::corrupt(const char* how) const {
  throw Error(Where{}, "", rule_, std::string(subject_) + " " + how);
}

}  // namespace sendhub::io
