import LabTesting
import XCTest

/// A race failure names the two accesses by the student's file and line, read from
/// ThreadSanitizer's report (here one as the grader saw it, its stacks cut short).
final class RaceReportTests: XCTestCase {
    static let report = """
    WARNING: ThreadSanitizer: Swift access race (pid=32017)
      Modifying access of Swift variable at 0x720c00003078 by thread T16 (mutexes: write M0):
        #0 $s9KvLocking2KVC4swapy6LabRPC9SwapReplyVAE0G4ArgsVF /w/.build-grade-proof/work/Exercises/05-kv-locking/KVLocking.swift:54:25 (LabGradingPackageTests.xctest+0x14e417) (BuildId: 0f5a)
        #1 $s14ExerciseChecks09KvLockingB0C5servey6LabRPC9RPCServerC_Sit0cD02KVCKFAE9SwapReplyVAE0J4ArgsVYbcAJYbcfu5_AlNYbcfu6_ /w/Tests/ExerciseChecks/KvLockingChecks.swift (LabGradingPackageTests.xctest+0x12d692) (BuildId: 0f5a)
        #2 $s6LabRPC8SwapArgsVAA0C5ReplyVs5Error_pIeghgdzo_AcEsAF_pIeghnrzo_TR /<compiler-generated> (LabGradingPackageTests.xctest+0x12d74d) (BuildId: 0f5a)
        #3 $s6LabRPC9RPCServerC11runBlocking___2idSays5UInt8VGAC7HandlerO_AHSnySiGAHtFZ /w/Sources/LabRPC/Server.swift:152:65 (LabGradingPackageTests.xctest+0x2e3674) (BuildId: 0f5a)

      Previous read of size 8 at 0x720c00003078 by thread T10:
        #0 $s6LabRPC9RPCServerC11runBlocking___2idSays5UInt8VGAC7HandlerO_AHSnySiGAHtFZ /w/Sources/LabRPC/Server.swift:152:65 (LabGradingPackageTests.xctest+0x2e3674) (BuildId: 0f5a)
        #1 $s9KvLocking2KVC6appendy6LabRPC11AppendReplyVAE7PutArgsVF /w/.build-grade-proof/work/Exercises/05-kv-locking/KVLocking.swift:36:27 (LabGradingPackageTests.xctest+0x14d51e) (BuildId: 0f5a)

      Location is heap block of size 48 at 0x720c00003060 allocated by main thread:
        #0 malloc /home/build-user/llvm-project/compiler-rt/lib/tsan/rtl/tsan_interceptors_posix.cpp:686:5 (LabGradingPackageTests.xctest+0xaa0d0) (BuildId: 0f5a)

      Mutex M0 (0x720c00000f30) created at:
        #0 pthread_mutex_init /home/build-user/llvm-project/compiler-rt/lib/tsan/rtl/tsan_interceptors_posix.cpp:1398:3 (LabGradingPackageTests.xctest+0xad71c) (BuildId: 0f5a)

    SUMMARY: ThreadSanitizer: Swift access race /w/Exercises/05-kv-locking/KVLocking.swift:54:25 in $s9KvLocking2KVC4swapy6LabRPC9SwapReplyVAE0G4ArgsVF
    """

    func testNamesEachAccessByTheStudentsLine() {
        let r = RaceReport(Self.report)
        XCTAssertEqual(r.title, "Swift access race")
        XCTAssertEqual(r.accesses.count, 2, "the two accesses; not the heap block's or the mutex's stacks")
        XCTAssertEqual(r.accesses.map(\.place), ["KVLocking.swift:54", "KVLocking.swift:36"],
                       "the exercise's own frame, even when a lab frame is above it")
        XCTAssertEqual(r.accesses.map(\.heldLock), [true, false])
        XCTAssertEqual(r.accesses.map(\.thread), ["thread T16", "thread T10"])
        XCTAssertEqual(r.accesses.map(\.kind), ["Swift modifying access", "read"])
        XCTAssertEqual(r.accesses[0].function, "KV.swap(SwapArgs) -> SwapReply", "demangled, without module names")
        XCTAssertTrue(r.summary.contains("earlier, read by thread T10, holding no lock, at KVLocking.swift:36 in KV.append"), r.summary)
    }

    func testWithoutTheStudentsFramesNamesTheFirstWithALine() {
        let r = RaceReport(Self.report, ownCode: { _ in false })
        XCTAssertEqual(r.accesses.map(\.place), ["KVLocking.swift:54", "Server.swift:152"])
        XCTAssertEqual(r.accesses.map(\.inOwnCode), [false, false])
        XCTAssertTrue(r.summary.contains("in code called from Server.swift:152 (the lab's, which called yours)"), r.summary)
    }

    func testTextThatIsNoReportGivesNoAccesses() {
        XCTAssertEqual(RaceReport("no report here\n  Read of nothing").accesses, [])
    }
}
