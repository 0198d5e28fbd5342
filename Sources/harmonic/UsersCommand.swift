import ArgumentParser
import Foundation
import Registry
import RegistryPostgres

/// `harmonic users`: accounts of the platform (`harmonic serve`), stored in the registry with
/// their role and site; passwords only as bcrypt hashes; every change audited.
struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Add or list the accounts of the web platform (harmonic serve).",
        discussion: """
        Roles (docs/server.md):
          admin          users and sites
          data_manager   one site (--site): uploads, its validation report, quarantine and audit
          analyst        pooled pseudonymised data of all sites: analyses, dose runs, reports
          clinician      one site (--site): dose calculator, a child of its own site
          auditor        the audit trail
        The store is an SQLite file or a PostgreSQL URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE).
        Passwords are read from a file (never from the command line, which other users can see in
        the process list) and stored only as their bcrypt hash (cost 12).

        Examples:
          harmonic users add --store harmonic.sqlite --user kari --role data_manager --site NO --password-file kari.pw
          harmonic users add --store postgres://harmonic:pw@127.0.0.1:5432/harmonic --user ada --role admin --password-file ada.pw
          harmonic users list --store harmonic.sqlite --json
        """,
        subcommands: [UsersAddCommand.self, UsersListCommand.self]
    )
}

struct UsersAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add an account, or change the role, site and password of an existing one (audited).")

    @Option(help: "Registry store: an SQLite file or a postgres:// URL.") var store: String
    @Option(help: "User name (letters, digits, . _ - @; at most 64).") var user: String
    @Option(help: "Role: admin, data_manager, analyst, clinician or auditor.") var role: String
    @Option(help: "Site (country code, e.g. NO) of a data_manager or clinician.") var site: String?
    @Option(help: "File whose first line is the password (at least 12 characters).") var passwordFile: String
    @Flag(help: "Print the account as JSON.") var json = false

    func run() throws {
        let newRole: Role
        do { newRole = try Role(name: role, site: site) } catch { throw ValidationError("--role/--site: \(error)") }
        let password = try readPassword(passwordFile)
        let registry = try RegistryStore.open(store, role: .admin)
        let account: UserAccount
        do { account = try registry.addUser(name: user, role: newRole, password: password, actor: "\(NSUserName()) (harmonic users)") } catch let e as UserError {
            throw ValidationError(e.description)
        }
        if json {
            let encoder = JSONEncoder(); encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(account), as: UTF8.self))
        } else {
            print("\(account.name): \(newRole)")
        }
    }
}

struct UsersListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the accounts (name, role, site).")
    @Option(help: "Registry store: an SQLite file or a postgres:// URL.") var store: String
    @Flag(help: "Print the accounts as a JSON array.") var json = false

    func run() throws {
        let users = try RegistryStore.open(store, role: .admin).users()
        if json {
            let encoder = JSONEncoder(); encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(users), as: UTF8.self))
        } else {
            for u in users { print("\(u.name)\t\(u.role)\t\(u.site ?? "-")") }
        }
    }
}

/// The first line of a password file (without its line end); errors name the file.
func readPassword(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ValidationError("--password-file \(path): cannot be read; expected a file whose first line is the password")
    }
    guard let text = String(data: data, encoding: .utf8) else {
        throw ValidationError("--password-file \(path): not UTF-8 text; expected a file whose first line is the password")
    }
    let line = String(text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).first ?? "")
    guard !line.isEmpty else { throw ValidationError("--password-file \(path): the first line is empty; expected the password") }
    return line
}
