import LabKit
import LabHarness

VoteProgram.main(
    variant: "vote-racy", summary: "The lecture's vote-count-1: no lock; main spins on racy variables.",
    style: .threads, election: election)
