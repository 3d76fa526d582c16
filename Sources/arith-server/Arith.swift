import LabRPC

// Seed 004's Arith service. Go's int arithmetic wraps around on overflow; Swift's traps, which
// would take the whole server down, so an overflow is an error returned to the caller instead.

struct Arith: Sendable {
    func multiply(_ req: ArithRequest) throws -> ArithResponse {
        let (pro, overflow) = req.a.multipliedReportingOverflow(by: req.b)
        if overflow {
            throw RPCServerError("integer overflow")
        }
        return ArithResponse(pro: pro)
    }

    func divide(_ req: ArithRequest) throws -> ArithResponse {
        if req.b == 0 {
            throw RPCServerError("divide by zero")
        }
        let (quo, overflow) = req.a.dividedReportingOverflow(by: req.b)
        if overflow {
            throw RPCServerError("integer overflow")
        }
        return ArithResponse(quo: quo, rem: req.a % req.b)
    }
}
