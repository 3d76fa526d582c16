import LabKit
import LabHarness

VoteProgram.main(
    variant: "vote-spin", summary: "The lecture's vote-count-2: a lock, and main spinning on it (a core burned).",
    style: .threads, election: election)
