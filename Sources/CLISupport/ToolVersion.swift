// The version every tool prints for --version.

/// The project's version, as the tools report it.
public enum ToolVersion {
    public static let text = "0.5.0"
}
