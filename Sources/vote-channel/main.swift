import LabKit
import LabHarness

await VoteProgram.main(
    variant: "vote-channel", summary: "The lecture's vote-count-5: votes through an AsyncStream; main stops reading early.",
    style: .channel, election: election)
