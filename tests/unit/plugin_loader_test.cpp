#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "pipeline/sink_reuse.h"
#include "plugins/build_id.h"
#include "plugins/plugin_loader.h"
#include "test_support.h"

namespace sendhub {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

void copy_in(const std::string& from, const std::string& to) {
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  ::chmod(to.c_str(), 0755);
}

const std::string kSen2 = SENDHUB_TEST_PLUGIN_DIR "/libsendhub_sen2_xml.so";

TEST(PluginLoader, LoadsTheSen2ConnectorAsSourceAndSink) {
  auto scan = load_plugins(SENDHUB_TEST_PLUGIN_DIR);
  EXPECT_TRUE(scan.refused.empty());
  const auto* c = scan.find("sen2_xml");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->info.make_source);
  EXPECT_TRUE(c->info.make_sink);
  EXPECT_EQ(c->api_version, SENDHUB_API_VERSION);
}

// The build-id as binutils reads it from the file: "" when it has none.
std::string readelf_build_id(const std::string& file) {
  const auto r = test::run("readelf -n " + file);
  const auto at = r.output.find("Build ID: ");
  if (at == std::string::npos) return "";
  return r.output.substr(at + 10, r.output.find('\n', at) - at - 10);
}

TEST(PluginLoader, KnowsEachLibrarysBuildIdAsBinutilsReadsIt) {
  auto scan = load_plugins(SENDHUB_TEST_PLUGIN_DIR);
  ASSERT_GT(scan.connectors.size(), 3u);
  for (const auto& c : scan.connectors) {
    EXPECT_EQ(c.build_id.size(), 40u) << c.library;
    EXPECT_EQ(c.build_id, readelf_build_id(c.library)) << c.library;
  }
  EXPECT_NE(scan.find("sen2_xml")->build_id, scan.find("cms_csv")->build_id);
}

TEST(PluginLoader, TheBuildIdOfTheProgramAndOfNoObject) {
  EXPECT_EQ(loaded_build_id(reinterpret_cast<const void*>(&readelf_build_id)),
            readelf_build_id(fs::read_symlink("/proc/self/exe")));
  const int on_the_stack = 0;   // no loaded object's segments hold the stack
  EXPECT_EQ(loaded_build_id(&on_the_stack), "");
}

// Without a build-id, the library's mark follows its file (its hash while the stat is fresh).
TEST(PluginLoader, ALibraryWithoutABuildIdIsMarkedByItsFile) {
  TempDir dir;
  const std::string file = dir / "libsome.so";
  test::write_file(file, "one build");
  LoadedConnector c;
  c.library = file;
  const std::string before = library_mark(c);
  EXPECT_FALSE(before.empty());
  test::write_file(file, "another build");
  EXPECT_NE(library_mark(c), before);
  c.build_id = "90905221373032087a4255e9921c6647b8d4722a";
  EXPECT_EQ(library_mark(c), "build-id 90905221373032087a4255e9921c6647b8d4722a");
}

TEST(PluginLoader, RefusesOtherApiVersionsAndNonPluginsWithOneLineNamingTheFile) {
  TempDir dir;
  ::chmod(dir.path().c_str(), 0700);
  copy_in(kSen2, dir / "libsendhub_sen2_xml.so");
  copy_in(SENDHUB_TEST_FIXTURE_DIR "/libwrong_api_plugin.so", dir / "libwrong.so");
  copy_in(SENDHUB_TEST_FIXTURE_DIR "/libnot_a_plugin.so", dir / "libother.so");
  test::write_file(dir / "garbage.so", "this is not ELF");
  ::chmod((dir / "garbage.so").c_str(), 0644);
  auto scan = load_plugins(dir.path());
  ASSERT_NE(scan.find("sen2_xml"), nullptr) << "a bad neighbour does not stop the good plugin";
  ASSERT_EQ(scan.refused.size(), 3u);
  auto refused = [&](const std::string& file, const std::string& why) {
    for (const auto& line : scan.refused)
      if (line.find(dir / file) == 0 && line.find(why) != std::string::npos && line.find('\n') == std::string::npos)
        return true;
    return false;
  };
  EXPECT_TRUE(refused("libwrong.so", "plugin API version " + std::to_string(SENDHUB_API_VERSION + 41)));
  EXPECT_TRUE(refused("libother.so", "not a sendhub plugin"));
  EXPECT_TRUE(refused("garbage.so", "cannot be loaded"));
}

// issue 15.9: a header changed while the version stayed put. Before the fingerprint such
// a plugin loaded and `check` died of bad_alloc, `run` of SIGABRT.
TEST(PluginLoader, RefusesAPluginBuiltAgainstOtherHeadersWhateverVersionItClaims) {
  TempDir dir;
  ::chmod(dir.path().c_str(), 0700);
  copy_in(SENDHUB_TEST_FIXTURE_DIR "/libwrong_abi_plugin.so", dir / "libabi.so");
  copy_in(SENDHUB_TEST_FIXTURE_DIR "/libold_api_plugin.so", dir / "libold.so");
  auto scan = load_plugins(dir.path());
  ASSERT_EQ(scan.refused.size(), 2u);
  std::string all;
  for (const auto& line : scan.refused) all += line + "\n";
  EXPECT_NE(all.find(dir / "libabi.so") , std::string::npos);
  EXPECT_NE(all.find("other plugin headers (ABI fingerprint 0000older-h"), std::string::npos) << all;
  EXPECT_NE(all.find("no ABI fingerprint"), std::string::npos) << all;
  EXPECT_EQ(std::string(SENDHUB_ABI_FINGERPRINT).size(), 64u) << "a SHA-256 of the API headers";
}

TEST(PluginLoader, RefusesAPluginOthersCanWrite) {
  TempDir dir;
  ::chmod(dir.path().c_str(), 0700);
  copy_in(kSen2, dir / "libsendhub_sen2_xml.so");
  ::chmod((dir / "libsendhub_sen2_xml.so").c_str(), 0666);
  auto scan = load_plugins(dir.path());
  EXPECT_EQ(scan.find("sen2_xml"), nullptr);
  ASSERT_EQ(scan.refused.size(), 1u);
  EXPECT_NE(scan.refused[0].find("chmod go-w"), std::string::npos);
}

TEST(PluginLoader, RefusesAFolderOthersCanWrite) {
  TempDir dir;
  ::chmod(dir.path().c_str(), 0777);
  EXPECT_THROW(load_plugins(dir.path()), Error);
  EXPECT_THROW(load_plugins(dir / "missing"), Error);
}

}  // namespace
}  // namespace sendhub
