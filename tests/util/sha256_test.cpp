#include "util/sha256.h"

#include <gtest/gtest.h>
#include <string>

using ptxwb::Sha256;

TEST(Sha256, MatchesStandardTestVectors) {
    EXPECT_EQ(Sha256::hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(Sha256::hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(Sha256::hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, IncrementalUpdatesEqualOneShot) {
    std::string text(1000, 'a');
    Sha256 h;
    for (std::size_t i = 0; i < text.size(); i += 37)
        h.update(std::string_view(text).substr(i, 37));
    EXPECT_EQ(h.finishHex(), Sha256::hex(text));
    // One million 'a' (FIPS 180-2 vector).
    Sha256 m;
    std::string chunk(1000, 'a');
    for (int i = 0; i < 1000; ++i)
        m.update(chunk);
    EXPECT_EQ(m.finishHex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
