import HarmonicCore

/// Parses element headers and values from a contiguous buffer (PS3.5 §7). Values are not
/// copied: each element records its offset and length. Every read is bounds-checked and
/// every failure is an `InputError` naming file, tag and byte offset.
struct DataSetParser {
    let buffer: DICOMBuffer
    let explicitVR: Bool
    let littleEndian: Bool
    let options: DICOMReadOptions
    var position = 0

    init(buffer: DICOMBuffer, explicitVR: Bool, littleEndian: Bool, options: DICOMReadOptions) {
        self.buffer = buffer; self.explicitVR = explicitVR; self.littleEndian = littleEndian; self.options = options
    }

    private var end: Int { buffer.bytes.count }

    private func error(_ tag: Tag?, _ offset: Int, _ expected: String, value: String? = nil) -> InputError {
        InputError(.tag(file: buffer.name, tag: tag?.description ?? "-", offset: offset), value: value, expected: expected)
    }

    private func u16(_ p: Int, little: Bool) -> UInt16 {
        let a = UInt16(buffer.bytes[p]), b = UInt16(buffer.bytes[p + 1])
        return little ? a | b << 8 : a << 8 | b
    }
    private func u32(_ p: Int, little: Bool) -> UInt32 {
        let b = buffer.bytes
        let a0 = UInt32(b[p]), a1 = UInt32(b[p + 1]), a2 = UInt32(b[p + 2]), a3 = UInt32(b[p + 3])
        return little ? a0 | a1 << 8 | a2 << 16 | a3 << 24 : a0 << 24 | a1 << 16 | a2 << 8 | a3
    }

    /// Group 0002 elements, explicit VR LE, until the first non-0002 tag.
    mutating func parseMeta(from start: Int) throws -> DataSet {
        position = start
        var elements: [DataElement] = []
        while position + 8 <= end, u16(position, little: true) == 0x0002 {
            elements.append(try parseElement(limit: end, depth: 0, explicit: true, little: true, charset: .ascii))
        }
        return DataSet(buffer: buffer, elements: elements, littleEndian: true, characterSet: .ascii)
    }

    mutating func parseTopLevel(from start: Int) throws -> DataSet {
        position = start
        return try parseDataSet(limit: end, undefined: false, depth: 0, explicit: explicitVR, little: littleEndian, inherited: .ascii)
    }

    /// Elements until `limit` (defined length) or an item delimiter (undefined length).
    private mutating func parseDataSet(limit: Int, undefined: Bool, depth: Int, explicit: Bool, little: Bool,
                                       inherited: DICOMCharacterSet) throws -> DataSet {
        var elements: [DataElement] = []
        var charset = inherited
        var signedPixels = false
        while position < limit {
            guard position + 8 <= limit else {
                throw error(nil, position, "an element header (8 bytes) but only \(limit - position) bytes remain before the end")
            }
            let tagPos = position
            let tag = Tag(group: u16(position, little: little), element: u16(position + 2, little: little))
            if tag == .itemDelimitation {
                position += 8
                if undefined { return DataSet(buffer: buffer, elements: elements, littleEndian: little, characterSet: charset) }
                continue // stray delimiter in a defined-length item: tolerated like dcmtk
            }
            if tag == .sequenceDelimitation && depth == 0 && !undefined {
                throw error(tag, tagPos, "a data element, not a sequence delimiter at the top level")
            }
            if tag == .sequenceDelimitation && undefined {
                // Item without its delimiter: end the item, leave the delimiter for the sequence.
                return DataSet(buffer: buffer, elements: elements, littleEndian: little, characterSet: charset)
            }
            let e = try parseElement(limit: limit, depth: depth, explicit: explicit, little: little, charset: charset,
                                     signedPixels: signedPixels)
            if e.tag == Tag(0x0028_0103), e.length >= 2 { // Pixel Representation: 1 = signed
                signedPixels = u16(e.valueOffset, little: little) == 1
            }
            if e.tag == .specificCharacterSet {
                let tmp = DataSet(buffer: buffer, elements: [e], littleEndian: little, characterSet: .ascii)
                charset = DICOMCharacterSet(specificCharacterSet: tmp.strings(.specificCharacterSet))
            }
            elements.append(e)
            if e.tag == .pixelData && options.stopAtPixelData && depth == 0 { break }
        }
        if undefined && position >= end {
            throw error(nil, position, "an item delimitation item (FFFE,E00D) before the end of the file")
        }
        return DataSet(buffer: buffer, elements: elements, littleEndian: little, characterSet: charset)
    }

    private mutating func parseElement(limit: Int, depth: Int, explicit: Bool, little: Bool,
                                       charset: DICOMCharacterSet, signedPixels: Bool = false) throws -> DataElement {
        let headerOffset = position
        let tag = Tag(group: u16(position, little: little), element: u16(position + 2, little: little))
        var vr: VR
        var length: UInt32
        if explicit && tag.group != 0xFFFE {
            vr = VR(code: UInt16(buffer.bytes[position + 4]) << 8 | UInt16(buffer.bytes[position + 5]))
            guard vr.isKnown else {
                throw error(tag, headerOffset + 4, "a value representation of two upper-case letters (PS3.5 §6.2)",
                            value: vr.description.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 32 } ? vr.description
                                : String(format: "0x%04X", vr.code))
            }
            if vr.hasLongLength {
                guard position + 12 <= limit else { throw error(tag, headerOffset, "a 12-byte element header before the end") }
                length = u32(position + 8, little: little)
                position += 12
            } else {
                length = UInt32(u16(position + 6, little: little))
                position += 8
            }
        } else {
            length = u32(position + 4, little: little)
            position += 8
            vr = DataDictionary.entry(tag)?.vr ?? .UN
            if vr == .ambiguousOBOW { vr = .OW }
            if vr == .ambiguousUSSS { vr = signedPixels ? .SS : .US }
            if tag.isPrivate && tag.element < 0x0100 && tag.element >= 0x0010 { vr = .LO } // private creator
        }
        let valueOffset = position
        if length == 0xFFFF_FFFF {
            if tag == .pixelData { return try parseFragments(tag: tag, vr: vr, headerOffset: headerOffset, little: little) }
            if vr == .SQ || vr == .UN || !explicit {
                // UN with undefined length is implicit VR little endian (PS3.5 §6.2.2).
                let asImplicit = vr == .UN ? true : nil
                let items = try parseItems(tag: tag, limit: limit, undefined: true, depth: depth,
                                           explicit: asImplicit == true ? false : explicit,
                                           little: asImplicit == true ? true : little, charset: charset)
                return DataElement(tag: tag, vr: .SQ, headerOffset: headerOffset, valueOffset: valueOffset, length: -1, items: items, fragments: nil)
            }
            throw error(tag, headerOffset, "a defined length for VR \(vr)", value: "undefined (FFFFFFFF)")
        }
        let len = Int(length)
        guard len <= limit - position else {
            throw error(tag, headerOffset, "a value of \(len) bytes but only \(limit - position) bytes remain"
                        + (limit == end ? " in the file" : " in the enclosing item"), value: String(len))
        }
        if vr == .SQ {
            let items = try parseItems(tag: tag, limit: position + len, undefined: false, depth: depth,
                                       explicit: explicit, little: little, charset: charset)
            return DataElement(tag: tag, vr: vr, headerOffset: headerOffset, valueOffset: valueOffset, length: len, items: items, fragments: nil)
        }
        position += len
        return DataElement(tag: tag, vr: vr, headerOffset: headerOffset, valueOffset: valueOffset, length: len, items: nil, fragments: nil)
    }

    private mutating func parseItems(tag: Tag, limit: Int, undefined: Bool, depth: Int, explicit: Bool, little: Bool,
                                     charset: DICOMCharacterSet) throws -> [DataSet] {
        guard depth < options.maximumDepth else {
            throw error(tag, position, "sequences nested at most \(options.maximumDepth) deep")
        }
        var items: [DataSet] = []
        let seqLimit = undefined ? end : limit
        while position < seqLimit {
            guard position + 8 <= seqLimit else { throw error(tag, position, "an item header (8 bytes) before the end of the sequence") }
            let itemPos = position
            let itemTag = Tag(group: u16(position, little: little), element: u16(position + 2, little: little))
            let len = u32(position + 4, little: little)
            position += 8
            if itemTag == .sequenceDelimitation {
                if undefined { return items }
                continue
            }
            guard itemTag == .item else {
                throw error(itemTag, itemPos, "an item tag (FFFE,E000) inside sequence \(tag)")
            }
            if len == 0xFFFF_FFFF {
                items.append(try parseDataSet(limit: seqLimit, undefined: true, depth: depth + 1, explicit: explicit, little: little, inherited: charset))
            } else {
                let l = Int(len)
                guard l <= seqLimit - position else {
                    throw error(itemTag, itemPos, "an item of \(l) bytes but only \(seqLimit - position) bytes remain in sequence \(tag)")
                }
                let itemEnd = position + l
                items.append(try parseDataSet(limit: itemEnd, undefined: false, depth: depth + 1, explicit: explicit, little: little, inherited: charset))
                position = itemEnd
            }
        }
        if undefined { throw error(tag, position, "a sequence delimitation item (FFFE,E0DD) before the end of the file") }
        return items
    }

    /// Encapsulated pixel data: fragment items until the sequence delimiter (PS3.5 §A.4).
    private mutating func parseFragments(tag: Tag, vr: VR, headerOffset: Int, little: Bool) throws -> DataElement {
        let valueOffset = position
        var fragments: [(Int, Int)] = []
        while true {
            guard position + 8 <= end else { throw error(tag, position, "a pixel data fragment or sequence delimiter before the end of the file") }
            let t = Tag(group: u16(position, little: little), element: u16(position + 2, little: little))
            let l = Int(u32(position + 4, little: little))
            position += 8
            if t == .sequenceDelimitation { break }
            guard t == .item else { throw error(t, position - 8, "a pixel data fragment item (FFFE,E000)") }
            guard l <= end - position else { throw error(t, position - 8, "a fragment of \(l) bytes within the file") }
            fragments.append((position, l))
            position += l
        }
        return DataElement(tag: tag, vr: vr, headerOffset: headerOffset, valueOffset: valueOffset,
                           length: position - valueOffset, items: nil, fragments: fragments)
    }
}
