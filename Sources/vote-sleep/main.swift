import LabKit
import LabHarness

VoteProgram.main(
    variant: "vote-sleep", summary: "The lecture's vote-count-3: a lock, and main sleeping 50 ms between checks.",
    style: .threads, election: election)
