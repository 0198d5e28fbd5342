import HarmonicCore

extension DataSet {
    /// The error for an element whose value does not fit its VR: names file, tag, byte offset, keyword, value.
    public func valueError(_ e: DataElement, value: String, expected: String) -> InputError {
        InputError(.tag(file: buffer.name, tag: e.tag.description, offset: e.headerOffset),
                   field: e.tag.keyword, value: value, expected: expected)
    }

    /// IS values as integers; throws when a value is not an integer string (PS3.5 Table 6.2-1)
    /// or a binary integer VR is expected.
    public func integers(_ tag: Tag) throws -> [Int] {
        guard let e = element(tag) else { return [] }
        if e.vr == .IS {
            return try stringValues(e).filter { !$0.isEmpty }.map { s in
                guard let v = Int(s.trimmingCharacters(in: dicomPadding).replacingOccurrences(of: "+", with: "")) else {
                    throw valueError(e, value: s, expected: "an integer string (IS)")
                }
                return v
            }
        }
        let v = numericValues(e)
        guard !v.isEmpty || e.length == 0 else { throw valueError(e, value: e.vr.description, expected: "an integer VR (IS, US, SS, UL, SL)") }
        return try v.map { d in
            guard let i = Int(exactly: d) else { throw valueError(e, value: String(d), expected: "an integer") }
            return i
        }
    }

    /// DS (or binary float/integer) values; throws when a DS value is not a decimal string.
    public func decimals(_ tag: Tag) throws -> [Double] {
        guard let e = element(tag) else { return [] }
        if e.vr == .DS || e.vr == .IS {
            return try stringValues(e).filter { !$0.isEmpty }.map { s in
                guard let v = Double(s), v.isFinite else { throw valueError(e, value: s, expected: "a decimal string (\(e.vr))") }
                return v
            }
        }
        return numericValues(e)
    }
}
