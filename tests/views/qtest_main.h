#pragma once
// One QTest executable holding several test classes. `exe ClassName [qtest args]` runs one
// class (ctest registers one test per class); without a class name all of them run.

#include <QApplication>
#include <QTest>
#include <cstring>
#include <functional>
#include <memory>
#include <vector>

namespace ptxwb::testing {

struct QTestClass {
    const char* name;
    std::function<std::unique_ptr<QObject>()> make;
};

inline std::vector<QTestClass>& qtestClasses() {
    static std::vector<QTestClass> classes;
    return classes;
}

inline int runQTestClasses(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM",
            qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    const char* only = argc > 1 && argv[1][0] != '-' ? argv[1] : nullptr;
    std::vector<char*> rest{argv[0]};
    for (int i = only ? 2 : 1; i < argc; ++i)
        rest.push_back(argv[i]);
    int failures = 0;
    bool ran = false;
    for (const auto& c : qtestClasses()) {
        if (only && std::strcmp(only, c.name) != 0) continue;
        ran = true;
        auto object = c.make();
        failures += QTest::qExec(object.get(), int(rest.size()), rest.data());
    }
    return ran ? failures : 2;
}

} // namespace ptxwb::testing

#define PTXWB_QTEST_CLASS(Class)                                                                   \
    [[maybe_unused]] static const bool ptxwb_qtest_##Class = [] {                                  \
        ::ptxwb::testing::qtestClasses().push_back(                                                \
            {#Class, [] { return std::unique_ptr<QObject>(new Class); }});                         \
        return true;                                                                               \
    }()
