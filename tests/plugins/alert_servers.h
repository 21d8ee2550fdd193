// alert_servers.h: the two real servers the alerts sink is tested against (issue 28.4), started
// by the test and stopped after it: an SMTP server (Debian's python3-aiosmtpd, through
// tests/servers/smtp_server.py: STARTTLS, SMTPS or plain, with or without a required login)
// whose mailbox is a folder of JSON files, and a webhook receiver on loopback
// (Poco::Net::HTTPServer) that keeps every POST's body.
#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_support.h"

namespace sendhub::test {

struct Mail {
  std::string from;
  std::vector<std::string> to;
  std::string data;
};

class SmtpServer {
 public:
  // mode: starttls, smtps or plain; host 0.0.0.0 listens on every interface; port 0: any free.
  SmtpServer(const std::string& dir, const std::string& mode, int port = 0, const std::string& user = "",
             const std::string& password = "", const std::string& host = "127.0.0.1")
      : mailbox_(dir + "/mailbox"), certs_(dir + "/certs") {
    std::filesystem::create_directories(certs_);
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe");
    std::vector<std::string> args{"/usr/bin/python3", SENDHUB_SOURCE_DIR "/tests/servers/smtp_server.py", "--mailbox",
                                  mailbox_, "--certs", certs_, "--mode", mode, "--host", host, "--port", std::to_string(port)};
    if (!user.empty()) args.insert(args.end(), {"--user", user, "--password", password});
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      ::close(out[0]);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    std::string line;
    char c;
    while (::read(out[0], &c, 1) == 1 && c != '\n') line += c;
    ::close(out[0]);
    if (line.rfind("ready ", 0) != 0) {
      stop();
      throw std::runtime_error("the SMTP server did not start (scripts/test.sh installs python3-aiosmtpd)");
    }
    port_ = std::stoi(line.substr(6));
  }
  ~SmtpServer() { stop(); }
  SmtpServer(const SmtpServer&) = delete;
  SmtpServer& operator=(const SmtpServer&) = delete;

  int port() const { return port_; }
  std::string ca() const { return certs_ + "/server.pem"; }
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  // Every message accepted so far, in the order received.
  std::vector<Mail> mails() const {
    std::vector<std::string> files;
    if (std::filesystem::exists(mailbox_))
      for (const auto& e : std::filesystem::directory_iterator(mailbox_))
        if (e.path().extension() == ".json") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    std::vector<Mail> out;
    for (const auto& f : files) {
      auto o = Poco::JSON::Parser().parse(read_file(f)).extract<Poco::JSON::Object::Ptr>();
      Mail m{o->getValue<std::string>("from"), {}, o->getValue<std::string>("data")};
      auto to = o->getArray("to");
      for (std::size_t i = 0; i < to->size(); ++i) m.to.push_back(to->getElement<std::string>(static_cast<unsigned>(i)));
      out.push_back(std::move(m));
    }
    return out;
  }

  // A port nothing listens on now (to start a server there later).
  static int free_port() {
    Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
    return s.address().port();
  }

 private:
  std::string mailbox_, certs_;
  pid_t pid_ = -1;
  int port_ = 0;
};

class WebhookReceiver {
 public:
  WebhookReceiver() : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket_, new Poco::Net::HTTPServerParams);
    server_->start();
  }
  ~WebhookReceiver() { server_->stopAll(true); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(socket_.address().port()) + "/hook/secret-token"; }
  std::vector<std::string> posts() const {
    std::lock_guard<std::mutex> lock(m_);
    return posts_;
  }
  void answer(int status) { status_ = status; }

 private:
  class Handler : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(WebhookReceiver& r) : r_(r) {}
    void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& res) override {
      std::string body;
      Poco::StreamCopier::copyToString(req.stream(), body);
      if (r_.status_ == 200 && req.getMethod() == "POST" && req.getContentType() == "application/json") {
        std::lock_guard<std::mutex> lock(r_.m_);
        r_.posts_.push_back(body);
      }
      res.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(r_.status_));
      res.setContentLength(2);
      res.send() << "ok";
    }

   private:
    WebhookReceiver& r_;
  };
  class Factory : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    explicit Factory(WebhookReceiver& r) : r_(r) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override { return new Handler(r_); }

   private:
    WebhookReceiver& r_;
  };
  Poco::Net::ServerSocket socket_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  mutable std::mutex m_;
  std::vector<std::string> posts_;
  int status_ = 200;
};

}  // namespace sendhub::test
