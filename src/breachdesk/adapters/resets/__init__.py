"""Built-in credential providers (SQL, LDAP/Active Directory, Keycloak, signed webhook)."""
