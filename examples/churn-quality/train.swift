// Trains the churn example's model and writes its predictions on the holdout set.
//
//   swift train.swift        (from this folder; Swift's interpreter, no package needed)
//
// A logistic regression on examples/churn-data/data/train.csv: standardised tenure, monthly
// charges and support tickets, and one-hot contract and plan, fitted by full-batch gradient
// descent (fixed step and iteration count, no randomness: the same bytes every run). It writes
//
//   predictions.csv           the holdout's customers with churned, p_churn (the model's
//                             probability), contract and plan: what [[quality]] reads
//   predictions_previous.csv  the previous model (no support_tickets feature) on the same rows,
//                             for the paired McNemar and DeLong tests
//   model.json                both models' weights
import Foundation

struct Row {
    var id: String
    var tenure: Double
    var contract: String
    var plan: String
    var monthly: Double
    var tickets: Double
    var churned: Int
}

func read(_ path: String) -> [Row] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
        exit(1)
    }
    var lines = text.split(separator: "\n").map(String.init)
    let header = lines.removeFirst().split(separator: ",").map(String.init)
    func column(_ name: String) -> Int { header.firstIndex(of: name)! }
    let (id, tenure, contract, plan, monthly, tickets, churned) =
        (column("customer_id"), column("tenure_months"), column("contract"), column("plan"),
         column("monthly_charges"), column("support_tickets"), column("churned"))
    return lines.map { line in
        let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return Row(id: f[id], tenure: Double(f[tenure])!, contract: f[contract], plan: f[plan],
                   monthly: Double(f[monthly])!, tickets: Double(f[tickets])!, churned: Int(f[churned])!)
    }
}

/// Feature vectors; `withTickets` false leaves out the support-ticket count (the previous model).
func features(_ rows: [Row], withTickets: Bool, scale: [(mean: Double, std: Double)]) -> [[Double]] {
    rows.map { r in
        var x = [1.0, (r.tenure - scale[0].mean) / scale[0].std, (r.monthly - scale[1].mean) / scale[1].std]
        if withTickets { x.append((r.tickets - scale[2].mean) / scale[2].std) }
        x += [r.contract == "month-to-month" ? 1 : 0, r.contract == "one-year" ? 1 : 0]
        x += [r.plan == "standard" ? 1 : 0, r.plan == "premium" ? 1 : 0]
        return x
    }
}

func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

/// Gradient descent on the mean log loss with a small L2 penalty.
func fit(_ x: [[Double]], _ y: [Int], steps: Int = 3000, rate: Double = 0.5, l2: Double = 1e-3) -> [Double] {
    var w = [Double](repeating: 0, count: x[0].count)
    let n = Double(x.count)
    for _ in 0..<steps {
        var gradient = [Double](repeating: 0, count: w.count)
        for (row, label) in zip(x, y) {
            var z = 0.0
            for j in w.indices { z += w[j] * row[j] }
            let error = sigmoid(z) - Double(label)
            for j in w.indices { gradient[j] += error * row[j] }
        }
        for j in w.indices { w[j] -= rate * (gradient[j] / n + (j == 0 ? 0 : l2 * w[j])) }
    }
    return w
}

func predict(_ w: [Double], _ x: [[Double]]) -> [Double] {
    x.map { row in sigmoid(zip(w, row).reduce(0) { $0 + $1.0 * $1.1 }) }
}

func meanStd(_ values: [Double]) -> (mean: Double, std: Double) {
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
    return (mean, max(sqrt(variance), 1e-12))
}

let data = "../churn-data/data/"
let train = read(data + "train.csv")
let holdout = read(data + "holdout.csv")
let scale = [meanStd(train.map(\.tenure)), meanStd(train.map(\.monthly)), meanStd(train.map(\.tickets))]
let labels = train.map(\.churned)

let current = fit(features(train, withTickets: true, scale: scale), labels)
let previous = fit(features(train, withTickets: false, scale: scale), labels)

func write(_ path: String, _ p: [Double]) {
    var out = "customer_id,churned,p_churn,contract,plan\n"
    for (row, probability) in zip(holdout, p) {
        out += "\(row.id),\(row.churned),\(String(format: "%.6f", probability)),\(row.contract),\(row.plan)\n"
    }
    try! out.write(toFile: path, atomically: true, encoding: .utf8)
}
write("predictions.csv", predict(current, features(holdout, withTickets: true, scale: scale)))
write("predictions_previous.csv", predict(previous, features(holdout, withTickets: false, scale: scale)))
let names = ["intercept", "tenure_months", "monthly_charges", "support_tickets", "contract=month-to-month",
             "contract=one-year", "plan=standard", "plan=premium"]
func json(_ w: [Double], _ names: [String]) -> String {
    "{" + zip(names, w).map { "\"\($0)\": \(String(format: "%.6f", $1))" }.joined(separator: ", ") + "}"
}
let model = "{\"current\": \(json(current, names)),\n \"previous\": \(json(previous, names.filter { $0 != "support_tickets" }))}\n"
try! model.write(toFile: "model.json", atomically: true, encoding: .utf8)
print("wrote predictions.csv, predictions_previous.csv and model.json (\(holdout.count) holdout rows)")
