import Foundation

/// Error messages a person can read: Foundation's file errors become "PATH: permission denied
/// (fix ...)" instead of an `Error Domain=NSCocoaErrorDomain Code=513 ... UserInfo={...}` dump.
public enum ReadableError {
    /// The whole message: the path when the error names one, the reason, and a fix where there
    /// is an obvious one. Errors that already describe themselves are left as they are.
    public static func describe(_ error: any Error) -> String {
        guard let cocoa = error as? CocoaError else { return "\(error)" }
        let path = cocoa.filePath ?? cocoa.url?.path
        return (path.map { $0 + ": " } ?? "") + (path.flatMap(blockedParent) ?? reason(error))
    }

    /// Why `path` cannot be created: its nearest existing ancestor is a file or not writable;
    /// nil when nothing on the way stands in the way.
    static func blockedParent(_ path: String) -> String? {
        let fm = FileManager.default
        var ancestor = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        while !ancestor.isEmpty, !fm.fileExists(atPath: ancestor, isDirectory: &isDirectory) {
            ancestor = (ancestor as NSString).deletingLastPathComponent
        }
        if ancestor.isEmpty { ancestor = path.hasPrefix("/") ? "/" : "." }
        guard fm.fileExists(atPath: ancestor, isDirectory: &isDirectory) else { return nil }
        if !isDirectory.boolValue { return "\(ancestor) is a file, not a folder (choose another path)" }
        if !fm.isWritableFile(atPath: ancestor) { return "\(ancestor) is not writable (fix its permissions or choose another path)" }
        return nil
    }

    /// The reason alone ("permission denied ...").
    public static func reason(_ error: any Error) -> String {
        guard let cocoa = error as? CocoaError else { return "\(error)" }
        switch cocoa.code {
        case .fileWriteNoPermission, .fileReadNoPermission:
            return "permission denied (fix the permissions of the file or its folder, or choose another path)"
        case .fileNoSuchFile, .fileReadNoSuchFile:
            return "no such file or folder"
        case .fileWriteOutOfSpace:
            return "no space left on the device"
        case .fileWriteVolumeReadOnly:
            return "the file system is read-only"
        case .fileWriteFileExists:
            return "a file of that name already exists"
        case .fileReadCorruptFile, .fileReadInapplicableStringEncoding:
            return "the file cannot be read as expected (damaged, or not text)"
        default:
            if let underlying = cocoa.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
                return String(cString: strerror(Int32(underlying.code)))
            }
            return cocoa.localizedDescription
        }
    }
}
