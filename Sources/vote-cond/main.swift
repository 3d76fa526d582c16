import LabKit
import LabHarness

VoteProgram.main(
    variant: "vote-cond", summary: "The lecture's vote-count-4: NSCondition, broadcast on every vote, wait in a loop.",
    style: .threads, election: election)
