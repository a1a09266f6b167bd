#pragma once
// Expected<T>: a value or an Error. C++20 has no std::expected, and core never throws across
// a library boundary, so every fallible core function returns one of these.

#include "util/error.h"

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

namespace ptxwb {

/// Wraps an Error so `return Unexpected{err};` reads naturally and converts to any Expected<T>.
struct Unexpected {
    Error error;
};

inline Unexpected makeError(ErrorKind kind, std::string message) {
    return Unexpected{Error(kind, std::move(message))};
}
inline Unexpected makeError(ErrorKind kind, std::string message, ErrorLocation where) {
    return Unexpected{Error(kind, std::move(message), std::move(where))};
}

template <typename T>
class [[nodiscard]] Expected {
public:
    using value_type = T;
    Expected(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    Expected(Unexpected u) : state_(std::in_place_index<1>, std::move(u.error)) {}
    Expected(Error e) : state_(std::in_place_index<1>, std::move(e)) {}
    template <typename U>
    requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, T> &&
             !std::is_same_v<std::decay_t<U>, Error> &&
             !std::is_same_v<std::decay_t<U>, Unexpected>) Expected(U&& value)
        : state_(std::in_place_index<0>, T(std::forward<U>(value))) {}

    [[nodiscard]] bool hasValue() const { return state_.index() == 0; }
    explicit operator bool() const { return hasValue(); }

    T& value() & {
        assert(hasValue());
        return std::get<0>(state_);
    }
    const T& value() const& {
        assert(hasValue());
        return std::get<0>(state_);
    }
    T&& value() && {
        assert(hasValue());
        return std::get<0>(std::move(state_));
    }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    Error& error() & {
        assert(!hasValue());
        return std::get<1>(state_);
    }
    const Error& error() const& {
        assert(!hasValue());
        return std::get<1>(state_);
    }
    Error&& error() && {
        assert(!hasValue());
        return std::get<1>(std::move(state_));
    }

private:
    std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Expected<void> {
public:
    Expected() = default;
    Expected(Unexpected u) : error_(std::move(u.error)), failed_(true) {}
    Expected(Error e) : error_(std::move(e)), failed_(true) {}
    [[nodiscard]] bool hasValue() const { return !failed_; }
    explicit operator bool() const { return hasValue(); }
    Error& error() & {
        assert(failed_);
        return error_;
    }
    const Error& error() const& {
        assert(failed_);
        return error_;
    }
    Error&& error() && {
        assert(failed_);
        return std::move(error_);
    }

private:
    Error error_;
    bool failed_ = false;
};

using Status = Expected<void>;

} // namespace ptxwb

/// Propagates an error from an Expected expression: `PTXWB_TRY(auto x, readThing());`
#define PTXWB_CONCAT_INNER(a, b) a##b
#define PTXWB_CONCAT(a, b) PTXWB_CONCAT_INNER(a, b)
#define PTXWB_TRY(decl, expr) PTXWB_TRY_IMPL(PTXWB_CONCAT(ptxwb_try_, __LINE__), decl, expr)
#define PTXWB_TRY_IMPL(tmp, decl, expr)                                                            \
    auto tmp = (expr);                                                                             \
    if (!tmp) return ::ptxwb::Unexpected{std::move(tmp).error()};                                  \
    decl = std::move(tmp).value()
/// Propagates an error from an Expected<void> (Status) expression.
#define PTXWB_CHECK(expr)                                                                          \
    do {                                                                                           \
        auto ptxwb_status_ = (expr);                                                               \
        if (!ptxwb_status_) return ::ptxwb::Unexpected{std::move(ptxwb_status_).error()};          \
    } while (false)
