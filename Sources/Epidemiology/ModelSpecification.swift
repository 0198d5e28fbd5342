import Foundation

/// A model written the way epidemiologists say it:
/// `err: dose * exp(sex + age_at_exposure); background: strata(country, sex, attained_age)`.
/// Clauses (separated by `;`): `err:` or `ear:` followed by `dose` or `dose + dose^2`,
/// optionally `* exp(term + ...)` for log-linear modifiers; `loglinear:` for a background-only
/// model; `background:` with terms, `strata(f, ...)` and `factor(x)` joined by `+`.
public struct ModelSpecification: Sendable, Equatable {
    public var form: ExcessRiskForm = .relative
    public var shape: DoseShape = .linear
    public var modifiers: [String] = []
    public var background: [String] = []
    public var strata: [String] = []

    public struct ParseError: Error, CustomStringConvertible, Equatable {
        /// 1-based column of the problem in the model text.
        public var column: Int
        public var message: String
        public var text: String
        public var description: String {
            "model, column \(column): \(message)\n  \(text)\n  " + String(repeating: " ", count: max(0, column - 1)) + "^"
        }
    }

    struct Token { var text: String; var column: Int }

    static func tokenize(_ s: String) throws -> [Token] {
        var out: [Token] = []
        let chars = Array(s)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == " " || c == "\t" { i += 1; continue }
            if c.isLetter || c == "_" {
                let st = i
                while i < chars.count && (chars[i].isLetter || chars[i].isNumber || chars[i] == "_") { i += 1 }
                out.append(Token(text: String(chars[st..<i]), column: st + 1)); continue
            }
            if c.isNumber { let st = i; while i < chars.count && (chars[i].isNumber || chars[i] == ".") { i += 1 }
                out.append(Token(text: String(chars[st..<i]), column: st + 1)); continue }
            if ":;+*()^,".contains(c) { out.append(Token(text: String(c), column: i + 1)); i += 1; continue }
            throw ParseError(column: i + 1, message: "unexpected character '\(c)'", text: s)
        }
        return out
    }

    public static func parse(_ text: String) throws -> ModelSpecification {
        let tokens = try tokenize(text)
        var pos = 0
        var spec = ModelSpecification()
        var sawForm = false
        func fail(_ msg: String) -> ParseError {
            ParseError(column: pos < tokens.count ? tokens[pos].column : text.count + 1, message: msg, text: text)
        }
        func peek() -> String? { pos < tokens.count ? tokens[pos].text : nil }
        func expect(_ t: String, _ what: String) throws {
            guard peek() == t else { throw fail("expected '\(t)' \(what), found \(peek().map { "'\($0)'" } ?? "end of model")") }
            pos += 1
        }
        func identifier(_ what: String) throws -> String {
            guard let t = peek(), let f = t.first, f.isLetter || f == "_" else { throw fail("expected \(what), found \(peek().map { "'\($0)'" } ?? "end of model")") }
            pos += 1; return t
        }
        func accept(_ t: String) -> Bool { if peek() == t { pos += 1; return true }; return false }
        func terms(allowStrata: Bool) throws -> ([String], [String]) {
            var list: [String] = [], strata: [String] = []
            repeat {
                if peek() == "1" { pos += 1; continue }
                let name = try identifier("a term name (e.g. sex, attained_age, strata(country))")
                if name == "strata" {
                    guard allowStrata else { pos -= 1; throw fail("strata(...) belongs in the background clause") }
                    try expect("(", "after strata")
                    repeat { strata.append(try identifier("a factor name inside strata(...)")) } while accept(",")
                    try expect(")", "to close strata(")
                } else if name == "factor" {
                    try expect("(", "after factor")
                    let inner = try identifier("a variable name inside factor(...)")
                    try expect(")", "to close factor(")
                    list.append("factor(\(inner))")
                } else { list.append(name) }
            } while accept("+")
            return (list, strata)
        }
        while pos < tokens.count {
            let key = try identifier("a clause: err:, ear:, loglinear: or background:")
            try expect(":", "after '\(key)'")
            switch key {
            case "err", "ear":
                if sawForm { pos -= 2; throw fail("only one err:/ear:/loglinear: clause is allowed") }
                sawForm = true
                spec.form = key == "err" ? .relative : .absolute
                let d = try identifier("'dose'")
                guard d == "dose" else { pos -= 1; throw fail("the excess must start with 'dose', found '\(d)'") }
                if peek() == "+" {
                    pos += 1
                    let d2 = try identifier("'dose^2'")
                    guard d2 == "dose" else { pos -= 1; throw fail("expected 'dose^2' for a linear-quadratic dose term") }
                    try expect("^", "in dose^2"); try expect("2", "in dose^2")
                    spec.shape = .linearQuadratic
                }
                if peek() == "*" {
                    pos += 1
                    let e = try identifier("'exp'")
                    guard e == "exp" else { pos -= 1; throw fail("modifiers are written '* exp(term + ...)', found '\(e)'") }
                    try expect("(", "after exp")
                    spec.modifiers = try terms(allowStrata: false).0
                    try expect(")", "to close exp(")
                }
            case "loglinear":
                if sawForm { pos -= 2; throw fail("only one err:/ear:/loglinear: clause is allowed") }
                sawForm = true; spec.form = .none
                let (l, s) = try terms(allowStrata: true); spec.background += l; spec.strata += s
            case "background":
                let (l, s) = try terms(allowStrata: true); spec.background += l; spec.strata += s
            default:
                pos -= 2; throw fail("unknown clause '\(key)'; expected err:, ear:, loglinear: or background:")
            }
            if pos < tokens.count { try expect(";", "between clauses") }
        }
        guard sawForm else { throw ParseError(column: 1, message: "the model needs an err:, ear: or loglinear: clause", text: text) }
        return spec
    }

    /// Factor names the person-year table must be classified by for this model.
    public var factorsUsed: [String] {
        var f = strata
        for t in background + modifiers {
            if t.hasPrefix("factor(") { f.append(String(t.dropFirst(7).dropLast())) }
            else if !ModelDesign.continuousNames.contains(t) && !(t.hasPrefix("log_") && ModelDesign.continuousNames.contains(String(t.dropFirst(4)))) { f.append(t) }
        }
        return Array(Set(f)).sorted()
    }
}

extension ModelDesign {
    /// The model a parsed specification describes, on this table.
    public func model(_ spec: ModelSpecification) throws -> ExcessRiskModel {
        try model(form: spec.form, shape: spec.shape, background: spec.background, strata: spec.strata, modifiers: spec.modifiers)
    }
}
