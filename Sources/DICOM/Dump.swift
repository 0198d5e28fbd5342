/// Text dumps like dcmdump (data set tree) and dsrdump (SR content tree).
public enum DICOMDump {
    /// One line per element: indentation by depth, tag, VR, length, value, keyword.
    /// `maxDepth` limits how many sequence levels are shown (nil: all).
    public static func dataSet(_ ds: DataSet, maxDepth: Int? = nil, maxValueLength: Int = 64) -> String {
        var out = ""
        write(ds, depth: 0, maxDepth: maxDepth, maxValueLength: maxValueLength, into: &out)
        return out
    }

    private static func write(_ ds: DataSet, depth: Int, maxDepth: Int?, maxValueLength: Int, into out: inout String) {
        let indent = String(repeating: "  ", count: depth)
        for e in ds.elements {
            let keyword = e.tag.isPrivate ? "PrivateTag" : (e.tag.keyword ?? "Unknown")
            let len = e.length < 0 ? "u/l" : String(e.length)
            if let items = e.items {
                out += "\(indent)\(e.tag) SQ (Sequence with \(items.count) item\(items.count == 1 ? "" : "s"), length \(len)) # \(keyword)\n"
                if let maxDepth, depth + 1 > maxDepth { continue }
                for (i, item) in items.enumerated() {
                    out += "\(indent)  (FFFE,E000) na (Item #\(i + 1) with \(item.elements.count) elements)\n"
                    write(item, depth: depth + 2, maxDepth: maxDepth.map { $0 + 1 }, maxValueLength: maxValueLength, into: &out)
                }
            } else {
                out += "\(indent)\(e.tag) \(e.vr) \(valueText(ds, e, maxValueLength)) # \(len), \(keyword)\n"
            }
        }
    }

    static func valueText(_ ds: DataSet, _ e: DataElement, _ maxLength: Int) -> String {
        if let f = e.fragments { return "(PixelSequence with \(f.count) fragments at byte \(e.valueOffset))" }
        if e.tag == .pixelData { return "(not loaded: \(e.length) bytes at byte \(e.valueOffset))" }
        var text: String
        if e.vr.isString || e.vr == .LO || e.vr == .SH || e.vr == .PN {
            text = "[" + ds.stringValues(e).joined(separator: "\\") + "]"
        } else if e.vr == .AT {
            let v = ds.binary(e, UInt16.self)
            text = stride(from: 0, to: v.count - 1, by: 2).map { Tag(group: v[$0], element: v[$0 + 1]).description }.joined(separator: "\\")
        } else if [VR.US, .SS, .UL, .SL, .FL, .FD, .SV, .UV].contains(e.vr) {
            text = ds.numericValues(e).map(formatNumber).joined(separator: "\\")
        } else {
            let bytes = ds.buffer.bytes[e.valueOffset ..< e.valueOffset + min(e.length, 16)]
            text = bytes.map { b in let h = String(b, radix: 16); return h.count == 1 ? "0" + h : h }.joined(separator: "\\")
            if e.length > 16 { text += "..." }
        }
        if text.count > maxLength { text = String(text.prefix(maxLength - 3)) + "..." }
        return text.isEmpty ? "(no value)" : text
    }

    /// The SR content tree, one line per content item, like dsrdump.
    public static func contentTree(_ root: ContentItem) -> String {
        var out = ""
        func write(_ item: ContentItem, _ depth: Int) {
            let indent = String(repeating: "  ", count: depth)
            let rel = item.relationship.isEmpty ? "" : item.relationship.lowercased() + " "
            let name = item.conceptName.map { "\"\($0.meaning)\" \($0.value)" } ?? "-"
            let value = item.valueDescription
            out += "\(indent)<\(rel)\(item.valueType):\(name)\(value.isEmpty ? "" : " = " + value)>\n"
            for c in item.children { write(c, depth + 1) }
        }
        write(root, 0)
        return out
    }
}
