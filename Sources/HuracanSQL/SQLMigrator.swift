import Foundation
import SQLKit

/// One versioned schema change of a component (registry, journal...). Statements may depend on
/// the dialect (type names); they run in order, once.
public struct SQLMigration: Sendable {
    public var version: Int
    public var name: String
    public var statements: @Sendable (SQLDatabaseHandle) -> [String]

    public init(version: Int, name: String, statements: @escaping @Sendable (SQLDatabaseHandle) -> [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}

/// Applies versioned migrations and records them in `schema_migrations` (component, version),
/// so each component's schema moves forward independently and a database newer than the code
/// is refused with a clear error.
public enum SQLMigrator {
    public static func migrate(_ database: SQLDatabaseHandle, component: String, migrations: [SQLMigration]) async throws {
        let sql = database.sql
        try await sql.raw("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                component VARCHAR(40) NOT NULL,
                version INTEGER NOT NULL,
                name VARCHAR(200) NOT NULL,
                applied_at \(unsafeRaw: database.timestampType) NOT NULL,
                PRIMARY KEY (component, version)
            )
            """).run()
        let applied = try await appliedVersions(database, component: component)
        let known = Set(migrations.map(\.version))
        if let unknown = applied.subtracting(known).max() {
            throw SQLDatabaseError(.schema, "\(database.url): \(component) schema version \(unknown) is newer than this build knows (\(known.max() ?? 0)); upgrade huracan")
        }
        for migration in migrations.sorted(by: { $0.version < $1.version }) where !applied.contains(migration.version) {
            do {
                for statement in migration.statements(database) {
                    try await sql.raw(SQLQueryString(statement)).run()
                }
                try await sql.raw("INSERT INTO schema_migrations (component, version, name, applied_at) VALUES (\(bind: component), \(bind: migration.version), \(bind: migration.name), \(bind: Date()))").run()
            } catch {
                throw SQLDatabaseError(.schema, "\(database.url): \(component) migration \(migration.version) (\(migration.name)) failed: \(String(reflecting: error))")
            }
        }
    }

    public static func appliedVersions(_ database: SQLDatabaseHandle, component: String) async throws -> Set<Int> {
        let rows = try await database.sql.raw("SELECT version FROM schema_migrations WHERE component = \(bind: component)").all()
        return Set(try rows.map { try $0.decode(column: "version", as: Int.self) })
    }
}
