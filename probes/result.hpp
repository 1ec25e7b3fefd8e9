// A value or a one-line error message, for operations whose failure is an expected outcome
// (bad input, an unreachable peer) rather than a bug.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace hale::probes {

struct Error {
    std::string message;
};

template <class T>
class Result {
public:
    Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit
    Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit

    bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() {
        assert(ok());
        return std::get<0>(state_);
    }
    const T& value() const {
        assert(ok());
        return std::get<0>(state_);
    }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const std::string& error() const {
        assert(!ok());
        return std::get<1>(state_).message;
    }

private:
    std::variant<T, Error> state_;
};

}  // namespace hale::probes
