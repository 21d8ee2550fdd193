// resource_texts.h: where each Bundle.entry[i].resource stands in a page's text, so a Task
// is kept (beside the reason it was quarantined) as the feed sent it. Writing the parsed
// resource out again cost a fifth of the source's time and sorted its keys.
#pragma once

#include <string_view>
#include <vector>

namespace fhir {

// One text per element of the Bundle's entry array, in order: the element's "resource" value
// as it stands in `page`, or empty where the element has none (or it is not an object).
// Nothing at all where the page is not the plain shape a parser reads the same way: no entry
// array, a key written with an escape or twice, text that does not scan. The caller then
// writes the parsed resource out instead.
std::vector<std::string_view> resource_texts(std::string_view page);

}  // namespace fhir
