#include <doctest/doctest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "codegen/background_compiler.hpp"
#include "codegen/codegen.hpp"
#include "codegen/jit.hpp"

using namespace grizzly;
using namespace grizzly::codegen;

namespace {

std::string AddFunction(const std::string& name) {
    return "define i64 @" + name + "(i64 %a, i64 %b) {\n  %s = add i64 %a, %b\n  ret i64 %s\n}\n";
}

}  // namespace

TEST_CASE("jit: compiles textual IR in both tiers and calls it") {
    for (Tier tier : {Tier::Fast, Tier::Optimized}) {
        const std::string tier_name = TierName(tier);
        CAPTURE(tier_name);
        const std::string name = Jit::UniqueName("jit_test_add");
        CompiledCodePtr code = Jit::Get(tier).CompileIrText(AddFunction(name), name, /*capture_ir=*/true);
        auto add = reinterpret_cast<int64_t (*)(int64_t, int64_t)>(code->Entry());
        CHECK(add(40, 2) == 42);
        CHECK(code->Stats().tier == tier);
        CHECK(code->Stats().machine_code_ms > 0);
        CHECK(code->Stats().object_bytes > 0);
        CHECK(code->IrBefore().find("add i64 %a, %b") != std::string::npos);
        CHECK(code->IrAfter().find(name) != std::string::npos);
        // The module was prepared for the host: triple and CPU attributes.
        CHECK(code->IrAfter().find("target triple") != std::string::npos);
        CHECK(code->IrAfter().find("target-cpu") != std::string::npos);
        if (tier == Tier::Fast) CHECK(code->Stats().optimize_ms == 0);
    }
    CHECK(!Jit::Get(Tier::Optimized).HostDescription().empty());
}

TEST_CASE("jit: LLVM failures become XX000 errors") {
    SUBCASE("IR that does not parse") {
        try {
            Jit::Get(Tier::Fast).CompileIrText("define i64 @broken( {", "broken", false);
            FAIL("expected an error");
        } catch (const Error& e) {
            CHECK(std::string(e.Code()) == "XX000");
            CHECK(e.Message().find("parsing IR") != std::string::npos);
        }
    }
    SUBCASE("an entry the module does not define") {
        const std::string name = Jit::UniqueName("jit_test_add");
        try {
            Jit::Get(Tier::Fast).CompileIrText(AddFunction(name), name + "_missing", false);
            FAIL("expected an error");
        } catch (const Error& e) {
            CHECK(std::string(e.Code()) == "XX000");
            CHECK(e.Message().find(name + "_missing") != std::string::npos);
        }
    }
    SUBCASE("a call to a symbol that is neither a helper nor allowed") {
        const std::string name = Jit::UniqueName("jit_test_call");
        const std::string ir = "declare i32 @getpid()\ndefine i32 @" + name + "() {\n  %r = call i32 @getpid()\n  ret i32 %r\n}\n";
        try {
            Jit::Get(Tier::Fast).CompileIrText(ir, name, false);
            FAIL("expected an error");
        } catch (const Error& e) {
            CHECK(std::string(e.Code()) == "XX000");
        }
    }
    SUBCASE("IR that does not verify") {
        const std::string name = Jit::UniqueName("jit_test_bad");
        // A block without a terminator parses only as a verifier error when built in memory; use a type error.
        const std::string ir = "define i64 @" + name + "(i64 %a) {\n  ret i32 0\n}\n";
        CHECK_THROWS_AS(Jit::Get(Tier::Optimized).CompileIrText(ir, name, false), Error);
    }
}

TEST_CASE("jit: generated code reaches the runtime helpers of rt_functions.def") {
    const std::string name = Jit::UniqueName("jit_test_raise");
    const std::string ir = "declare i32 @gz_rt_error_overflow(ptr, i32)\n"
                           "define i32 @" + name + "(ptr %status) {\n"
                           "  %r = call i32 @gz_rt_error_overflow(ptr %status, i32 " +
                           std::to_string(static_cast<int>(TypeId::Integer)) + ")\n  ret i32 %r\n}\n";
    CompiledCodePtr code = Jit::Get(Tier::Fast).CompileIrText(ir, name, false);
    GzExecStatus status{};
    const int32_t rc = reinterpret_cast<int32_t (*)(GzExecStatus*)>(code->Entry())(&status);
    CHECK(rc == kGzStatusError);
    CHECK(status.failed == 1);
    try {
        ThrowIfFailed(rc, status);
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(std::string(e.Code()) == "22003");
        CHECK(e.Message() == "integer out of range");
    }
}

TEST_CASE("jit: runtime helpers record the interpreter's errors") {
    GzExecStatus status{};
    CHECK(gz_rt_error_division_by_zero(&status) == kGzStatusError);
    CHECK(std::string(StatusError(status).Code()) == "22012");
    CHECK(StatusError(status).Message() == "division by zero");
    status = GzExecStatus{};
    gz_rt_error_overflow(&status, static_cast<int32_t>(TypeId::BigInt));
    CHECK(StatusError(status).Message() == "bigint out of range");
    status = GzExecStatus{};
    gz_rt_error_float_overflow(&status);
    CHECK(StatusError(status).Message() == "value out of range: overflow");
    CHECK_NOTHROW(ThrowIfFailed(0, GzExecStatus{}));
}

TEST_CASE("background compiler: urgent jobs run before queued optimized recompiles, each kind in order") {
    BackgroundCompiler compiler;
    std::mutex mutex;
    std::condition_variable released;
    bool release = false;
    std::vector<std::string> order;
    auto record = [&](const std::string& name) {
        return [&, name] {
            std::lock_guard<std::mutex> lock(mutex);
            order.push_back(name);
        };
    };
    // The worker is busy with a job until `release`; the others queue behind it.
    REQUIRE(compiler.Submit("blocker", [&] {
        std::unique_lock<std::mutex> lock(mutex);
        released.wait(lock, [&] { return release; });
    }));
    // Give the worker time to take the blocker, so every job below is queued behind it.
    while (!compiler.Pending("blocker")) std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(compiler.Submit("optimized 1", record("optimized 1")));
    CHECK(compiler.Submit("fast 1", record("fast 1"), /*urgent=*/true));
    CHECK(compiler.Submit("optimized 2", record("optimized 2")));
    CHECK(compiler.Submit("fast 2", record("fast 2"), /*urgent=*/true));
    CHECK_FALSE(compiler.Submit("fast 1", record("again"), /*urgent=*/true));  // already queued
    {
        std::lock_guard<std::mutex> lock(mutex);
        release = true;
    }
    released.notify_all();
    compiler.WaitIdle();
    CHECK(order == std::vector<std::string>{"fast 1", "fast 2", "optimized 1", "optimized 2"});
}
