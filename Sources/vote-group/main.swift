import LabKit
import LabHarness

await VoteProgram.main(
    variant: "vote-group", summary: "Swift's answer: voters in a task group, cancelled at the decision.",
    style: .group, election: election)
