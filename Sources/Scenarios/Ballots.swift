import LabSched

// The lecture's elections have 10 voters who sleep a random time, then vote yes or no at random.
// Here 3 voters answer yes, no, yes, and a candidate needs 2: the explorer tries every order of
// the voters' operations, which is what the random sleeps were for, on a space small enough to
// cover.

let voters = 3
let needed = 2
let ballots = [true, false, true]

/// `requestVote()`: voter `i`'s answer. It is not an operation: the voters' order comes from the
/// operations around it.
func requestVote(_ i: Int) -> Bool { ballots[i] }

/// What main's decision should be, with every vote counted.
let rightDecision = "won"

func decision(_ count: Int) -> String { count >= needed ? "won" : "lost" }
