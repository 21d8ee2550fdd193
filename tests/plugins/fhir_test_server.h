// fhir_test_server.h: a real HTTP server on loopback (Poco::Net::HTTPServer) serving a FHIR
// Task search in pages, with faults the tests switch on: statuses, Retry-After, slow and
// truncated answers, malformed JSON, expiring OAuth tokens, foreign next links.
#pragma once

#include <Poco/DeflatingStream.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/URI.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace sendhub::test {

struct FakeTask {
  std::string id, version, last_updated, code = "health", status = "completed", nhs = "9434765919";
  std::string authored = "2025-03-12T09:00:00Z", request_ref = "INV1";
};

// A fault for the n-th request whose path+query contains `match` (0 = the first such).
struct Fault {
  std::string match;
  int times = 1;                 // how many matching requests it hits
  int status = 0;                // 0: answer normally but see below
  std::string retry_after;
  std::string body;              // replaces the answer's body
  int delay_ms = 0;
  bool truncate = false;         // promise more bytes than are sent, then close
  bool endless = false;          // a chunked body that never ends (until the client hangs up)
  bool gzip_bomb = false;        // 64 MB of spaces, gzip-compressed to a few dozen KB
};

class FhirTestServer {
 public:
  FhirTestServer() : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
    auto params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(4);
    params->setKeepAlive(true);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket_, params);
    server_->start();
  }
  ~FhirTestServer() {
    server_->stopAll(true);
    // A handler still sleeping (the slow-answer fault) must finish before the process ends.
    for (int i = 0; i < 500 && server_->currentConnections() + server_->currentThreads() > 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  std::string base() const { return "http://127.0.0.1:" + std::to_string(socket_.address().port()) + "/R4"; }
  std::string token_url() const { return "http://127.0.0.1:" + std::to_string(socket_.address().port()) + "/token"; }

  std::vector<FakeTask> tasks;
  std::vector<Fault> faults;
  int page_size = 3;
  std::string foreign_next;                     // a next link to put on the first page
  bool endless_next = false;                    // every page links to a new page, for ever
  bool oauth = false;                           // require a token from /token
  int tokens_issued = 0;
  bool keyset = false;                          // next links page by lastUpdated (after=), not by offset
  std::function<void(int)> after_page;          // called (locked) after page n is answered
  std::vector<std::string> requests;            // path?query of every request
  std::vector<std::string> authorizations;
  std::mutex mutex;

 private:
  struct Answer {
    int status = 200;
    std::string body, retry_after;
    int delay_ms = 0;
    bool truncate = false, endless = false, gzip_bomb = false;
  };
  static Answer reply(int status, std::string body) {
    Answer a;
    a.status = status;
    a.body = std::move(body);
    return a;
  }

  Answer answer(const std::string& target, const std::string& auth, const std::string& form) {
    std::lock_guard<std::mutex> lock(mutex);
    requests.push_back(target);
    authorizations.push_back(auth);
    for (auto& f : faults)
      if (f.times > 0 && target.find(f.match) != std::string::npos) {
        --f.times;
        Answer a;
        a.status = f.status ? f.status : 200;
        a.retry_after = f.retry_after;
        a.delay_ms = f.delay_ms;
        a.truncate = f.truncate;
        a.endless = f.endless;
        a.gzip_bomb = f.gzip_bomb;
        a.body = f.body.empty() ? page(target) : f.body;
        return a;
      }
    if (target.rfind("/token", 0) == 0) {
      if (form.find("client_secret=s3cret") == std::string::npos) return reply(401, R"({"error":"invalid_client"})");
      ++tokens_issued;
      return reply(200, R"({"access_token":"tok)" + std::to_string(tokens_issued) + R"(","token_type":"bearer","expires_in":3600})");
    }
    // The first token "expires" as soon as a second page is asked for.
    if (oauth && (auth.empty() || (auth == "Bearer tok1" && target.find("page=2") != std::string::npos)))
      return reply(401, R"({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"login","diagnostics":"token expired"}]})");
    if (target.rfind("/R4/metadata", 0) == 0) return reply(200, R"({"resourceType":"CapabilityStatement"})");
    auto answer = reply(200, page(target));
    if (after_page) after_page(static_cast<int>(requests.size()));
    return answer;
  }

  // The search: _lastUpdated=ge filter, sorted, _count per page, page=N.
  std::string page(const std::string& target) {
    Poco::URI uri(target);
    std::string ge, after;
    int count = page_size, n = 1;
    for (const auto& [k, v] : uri.getQueryParameters()) {
      if (k == "_lastUpdated" && v.rfind("ge", 0) == 0) ge = v.substr(2);
      if (k == "after") after = v;
      if (k == "_count") count = std::stoi(v);
      if (k == "page") n = std::stoi(v);
    }
    std::vector<FakeTask> match;
    for (const auto& t : tasks)
      if ((ge.empty() || t.last_updated >= ge) && t.last_updated > after) match.push_back(t);
    std::sort(match.begin(), match.end(), [](const auto& a, const auto& b) { return a.last_updated < b.last_updated; });
    Poco::JSON::Object bundle;
    bundle.set("resourceType", "Bundle");
    bundle.set("type", "searchset");
    Poco::JSON::Array links, entries;
    const std::size_t from = keyset ? 0 : static_cast<std::size_t>((n - 1) * count);
    for (std::size_t i = from; i < match.size() && i < from + static_cast<std::size_t>(count); ++i) {
      Poco::JSON::Object entry;
      entry.set("resource", task_json(match[i]));
      entries.add(entry);
    }
    std::string next;
    if (n == 1 && !foreign_next.empty()) next = foreign_next;
    else if (endless_next) next = "/R4/Task?_count=" + std::to_string(count) + "&page=" + std::to_string(n + 1);
    else if (keyset && static_cast<std::size_t>(count) < match.size())
      next = "/R4/Task?_count=" + std::to_string(count) + "&after=" + match[static_cast<std::size_t>(count) - 1].last_updated;
    else if (from + static_cast<std::size_t>(count) < match.size())
      next = "/R4/Task?_lastUpdated=ge" + ge + "&_count=" + std::to_string(count) + "&page=" + std::to_string(n + 1);
    if (!next.empty()) {
      Poco::JSON::Object link;
      link.set("relation", "next");
      link.set("url", next);
      links.add(link);
    }
    bundle.set("link", links);
    bundle.set("entry", entries);
    std::ostringstream out;
    bundle.stringify(out);
    return out.str();
  }


 public:
  static std::string task_text(const FakeTask& t) {
    std::ostringstream s;
    s << R"({"resourceType":"Task","id":")" << t.id << R"(","meta":{"versionId":")" << t.version
      << R"(","lastUpdated":")" << t.last_updated << R"("},"identifier":[{"value":"ADV-)" << t.id
      << R"("}],"status":")" << t.status << R"(","intent":"order","code":{"coding":[{"code":")" << t.code
      << R"("}]},"focus":{"identifier":{"value":")" << t.request_ref
      << R"("}},"for":{"identifier":{"system":"https://fhir.nhs.uk/Id/nhs-number","value":")" << t.nhs
      << R"("}},"authoredOn":")" << t.authored << R"(","restriction":{"period":{"end":"2025-04-23"}},)"
      << R"("executionPeriod":{"end":"2025-04-20T16:00:00Z"}})";
    return s.str();
  }
  static Poco::JSON::Object task_json(const FakeTask& t) {
    Poco::JSON::Parser p;
    return *p.parse(task_text(t)).extract<Poco::JSON::Object::Ptr>();
  }

 private:
  class Handler : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(FhirTestServer& s) : s_(s) {}
    void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& res) override {
      std::string form;
      if (req.getMethod() == "POST") {
        std::ostringstream body;
        body << req.stream().rdbuf();
        form = body.str();
      }
      Answer a = s_.answer(req.getURI(), req.get("Authorization", ""), form);
      if (a.delay_ms) std::this_thread::sleep_for(std::chrono::milliseconds(a.delay_ms));
      res.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(a.status));
      res.setContentType("application/fhir+json");
      if (!a.retry_after.empty()) res.set("Retry-After", a.retry_after);
      if (a.endless) {  // bounded here too: at most 1 GiB, the client must stop far sooner
        res.setChunkedTransferEncoding(true);
        std::ostream& out = res.send();
        const std::string chunk(1 << 16, ' ');
        for (int i = 0; i < (1 << 14) && out.good(); ++i) out << chunk << std::flush;
        return;
      }
      if (a.gzip_bomb) {
        std::ostringstream packed;
        {
          Poco::DeflatingOutputStream gz(packed, Poco::DeflatingStreamBuf::STREAM_GZIP, 9);
          const std::string chunk(1 << 16, ' ');
          for (int i = 0; i < 1024; ++i) gz << chunk;
          gz.close();
        }
        res.set("Content-Encoding", "gzip");
        res.setContentLength(static_cast<std::streamsize>(packed.str().size()));
        res.send() << packed.str();
        return;
      }
      if (a.truncate) {
        res.setKeepAlive(false);
        res.setContentLength(static_cast<std::streamsize>(a.body.size() + 100));
        res.send() << a.body.substr(0, a.body.size() / 2) << std::flush;
        return;
      }
      res.setContentLength(static_cast<std::streamsize>(a.body.size()));
      res.send() << a.body;
    }

   private:
    FhirTestServer& s_;
  };

  class Factory : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    explicit Factory(FhirTestServer& s) : s_(s) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
      return new Handler(s_);
    }

   private:
    FhirTestServer& s_;
  };

  Poco::Net::ServerSocket socket_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace sendhub::test
