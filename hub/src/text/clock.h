// text/clock.h: the current time, as the store and outputs write it.
#pragma once

#include <string>

namespace sendhub::text {

std::string utc_now();    // YYYY-MM-DDThh:mm:ssZ
std::string today_iso();  // the local date, YYYY-MM-DD

}  // namespace sendhub::text
