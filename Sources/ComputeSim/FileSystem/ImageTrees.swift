extension VirtualFileSystem {
    /// Builds a tree from (path, kind) lines; for the default images.
    private static func tree(_ entries: [(String, UInt32, UInt32, UInt16, String?)]) -> VirtualFileSystem {
        var fileSystem = VirtualFileSystem()
        for (text, uid, gid, mode, contents) in entries {
            // The paths below are constants known to be valid.
            guard let path = try? VirtualPath(text) else { continue }
            let metadata = FileMetadata(uid: uid, gid: gid, mode: mode)
            if let contents {
                try? fileSystem.write(path, contents: contents, metadata: metadata, creatingParents: FileMetadata(mode: 0o755))
            } else {
                try? fileSystem.makeDirectory(path, metadata: metadata, creatingParents: FileMetadata(mode: 0o755))
            }
        }
        return fileSystem
    }

    /// The default Ubuntu image's tree: a small but realistic root filesystem.
    public static let ubuntuImage: VirtualFileSystem = tree([
        ("/bin", 0, 0, 0o755, nil), ("/boot", 0, 0, 0o755, nil), ("/dev", 0, 0, 0o755, nil),
        ("/etc", 0, 0, 0o755, nil),
        (
            "/etc/passwd", 0, 0, 0o644,
            "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nsshd:x:105:65534::/run/sshd:/usr/sbin/nologin\nubuntu:x:1000:1000:Ubuntu:/home/ubuntu:/bin/bash\n"
        ),
        ("/etc/shadow", 0, 42, 0o640, "root:*:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\nsshd:*:19700:0:99999:7:::\nubuntu:!:19700:0:99999:7:::\n"),
        ("/etc/group", 0, 0, 0o644, "root:x:0:\nshadow:x:42:\nsudo:x:27:ubuntu\nubuntu:x:1000:\n"),
        ("/etc/hosts", 0, 0, 0o644, "127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n"),
        ("/etc/hostname", 0, 0, 0o644, "ubuntu\n"),
        ("/etc/os-release", 0, 0, 0o644, "NAME=\"Ubuntu\"\nVERSION_ID=\"24.04\"\nID=ubuntu\n"),
        (
            "/etc/ssh/sshd_config", 0, 0, 0o644,
            "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin prohibit-password\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM yes\n"
        ),
        ("/home", 0, 0, 0o755, nil), ("/home/ubuntu", 1000, 1000, 0o750, nil), ("/home/ubuntu/.ssh", 1000, 1000, 0o700, nil),
        ("/home/ubuntu/.bashrc", 1000, 1000, 0o644, "# ~/.bashrc\n"),
        ("/root", 0, 0, 0o700, nil), ("/tmp", 0, 0, 0o1777, nil), ("/usr", 0, 0, 0o755, nil),
        ("/var", 0, 0, 0o755, nil), ("/var/log", 0, 0, 0o755, nil),
    ])

    /// The default CirrOS image's tree: a smaller one.
    public static let cirrosImage: VirtualFileSystem = tree([
        ("/etc", 0, 0, 0o755, nil),
        ("/etc/passwd", 0, 0, 0o644, "root:x:0:0:root:/root:/bin/sh\ncirros:x:1000:1000:cirros:/home/cirros:/bin/sh\n"),
        ("/etc/hosts", 0, 0, 0o644, "127.0.0.1 localhost\n"),
        ("/etc/hostname", 0, 0, 0o644, "cirros\n"),
        ("/home", 0, 0, 0o755, nil), ("/home/cirros", 1000, 1000, 0o755, nil),
        ("/root", 0, 0, 0o700, nil), ("/tmp", 0, 0, 0o1777, nil),
    ])
}
