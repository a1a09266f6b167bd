#include "qtest_main.h"

int main(int argc, char** argv) {
    return ptxwb::testing::runQTestClasses(argc, argv);
}
