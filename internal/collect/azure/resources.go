package azure

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"cloudward/internal/resource"
)

// row shapes one Resource Graph row into a resource of kind, makes the
// extra ARM calls the kind documents, and emits it.
func (r *run) row(ctx context.Context, sub, kind string, row map[string]any, locks *lockSet) error {
	k := r.c.kinds[kind]
	id, _ := row["id"].(string)
	if id == "" {
		return nil
	}
	doc := project(row, k.Schema)
	props := obj(doc, "properties")
	region := regionOf(row)
	e := &enrich{r: r, sub: sub, region: region, service: k.Service, id: id, schema: k.Schema, doc: doc}
	var err error
	switch kind {
	case "azure_storage_account":
		if locks != nil {
			e.doc["locks"] = locks.covering(id, subSchema(k.Schema, "locks"))
		}
		err = e.storageAccount(ctx, row)
	case "azure_network_watcher":
		err = e.flowLogs(ctx)
	case "azure_postgresql_flexible_server":
		err = e.flexibleServer(ctx, apiPostgres, "Microsoft.DBforPostgreSQL", postgresParameters)
	case "azure_mysql_flexible_server":
		err = e.flexibleServer(ctx, apiMySQL, "Microsoft.DBforMySQL", mysqlParameters)
	case "azure_cognitive_services_account":
		err = e.cognitiveAccount(ctx)
	case "azure_machine_learning_workspace":
		err = e.mlWorkspace(ctx)
	case "azure_search_service":
		err = e.searchService(ctx)
	case "azure_databricks_workspace":
		err = e.databricks(ctx)
	case "azure_application_gateway":
		setDefault(props, "enable_http2", false)
	case "azure_virtual_machine":
		err = e.virtualMachine(ctx)
	case "azure_network_security_group":
		for _, key := range []string{"security_rules", "default_security_rules"} {
			normalizeRules(props[key])
		}
	case "azure_key_vault":
		setDefault(props, "enable_purge_protection", false)
		err = e.keyVault(ctx)
	case "azure_sql_server":
		err = e.sqlServer(ctx)
	case "azure_app_service":
		err = e.appService(ctx)
	}
	if err != nil {
		return err
	}
	if e.skip {
		return nil
	}
	name, _ := row["name"].(string)
	return r.emit(ctx, kind, id, sub, region, name, tagsOf(row["tags"]), createdOf(props), doc)
}

// enrich holds one resource being assembled.
type enrich struct {
	r       *run
	sub     string
	region  string
	service string
	id      string
	schema  []resource.Field
	doc     map[string]any
	skip    bool
}

// get reads an ARM document and stores it, shaped, under key; a failed
// call is recorded and the key left absent (checks on it then ERROR).
func (e *enrich) get(ctx context.Context, key, path, version, op string, fs []resource.Field) (map[string]any, error) {
	var v any
	ok, err := e.r.try(ctx, e.sub, e.region, e.service, op, func() (err error) {
		v, err = e.r.c.api.get(ctx, path, version)
		return err
	})
	if !ok || err != nil {
		return nil, err
	}
	m := project(v, fs)
	if key != "" {
		e.doc[key] = m
	}
	return m, nil
}

// list reads an ARM collection; ok is false when the call failed.
func (e *enrich) list(ctx context.Context, path, version, op string) ([]any, bool, error) {
	var list []any
	ok, err := e.r.try(ctx, e.sub, e.region, e.service, op, func() (err error) {
		list, err = e.r.c.api.list(ctx, path, version)
		return err
	})
	return list, ok, err
}

func (e *enrich) storageAccount(ctx context.Context, row map[string]any) error {
	p := obj(e.doc, "properties")
	// ARM leaves these out on accounts created before they existed; absent
	// means the old behaviour.
	setDefault(p, "allow_blob_public_access", true)
	setDefault(p, "allow_cross_tenant_replication", true)
	setDefault(p, "allow_shared_key_access", true)
	setDefault(p, "minimum_tls_version", "TLS1_0")
	enc := obj(p, "encryption")
	setDefault(enc, "require_infrastructure_encryption", false)
	if to := e.r.vaults[vaultKey(cmkVaultURI("azure_storage_account", e.doc))]; to != "" {
		e.r.edge(e.id, to, "encrypted_with")
	}
	if _, err := e.get(ctx, "blob_service", e.id+"/blobServices/default", apiStorage,
		"Microsoft.Storage/storageAccounts/blobServices/read", subSchema(e.schema, "blob_service")); err != nil {
		return err
	}
	if k := str(row["kind"]); k != "BlobStorage" && k != "BlockBlobStorage" {
		if _, err := e.get(ctx, "file_service", e.id+"/fileServices/default", apiStorage,
			"Microsoft.Storage/storageAccounts/fileServices/read", subSchema(e.schema, "file_service")); err != nil {
			return err
		}
	}
	containers, ok, err := e.list(ctx, e.id+"/blobServices/default/containers", apiStorage,
		"Microsoft.Storage/storageAccounts/blobServices/containers/read")
	if !ok || err != nil {
		return err
	}
	cs := e.r.c.kinds["azure_storage_container"].Schema
	for _, el := range containers {
		m, _ := el.(map[string]any)
		cid, _ := m["id"].(string)
		if cid == "" {
			continue
		}
		doc := project(m, cs)
		name, _ := m["name"].(string)
		if err := e.r.emit(ctx, "azure_storage_container", cid, e.sub, e.region, name, nil, time.Time{}, doc); err != nil {
			return err
		}
		e.r.edge(cid, e.id, "in_storage_account")
	}
	return nil
}

func (e *enrich) virtualMachine(ctx context.Context) error {
	sp := obj(obj(e.doc, "properties"), "storage_profile")
	setDefault(sp, "data_disks", []any{})
	disks := []any{sp["os_disk"]}
	if dd, ok := sp["data_disks"].([]any); ok {
		disks = append(disks, dd...)
	}
	for _, d := range disks {
		dm, _ := d.(map[string]any)
		md, _ := dm["managed_disk"].(map[string]any)
		if id := str(md["id"]); id != "" {
			e.r.edge(e.id, id, "attached_volume")
		}
	}
	list, ok, err := e.list(ctx, e.id+"/extensions", apiCompute, "Microsoft.Compute/virtualMachines/extensions/read")
	if ok {
		e.doc["extensions"] = projectList(list, subSchema(e.schema, "extensions"))
	}
	return err
}

// normalizeRules gives every NSG rule the list fields ARM sometimes leaves
// out, so checks can concatenate them.
func normalizeRules(v any) {
	rules, _ := v.([]any)
	for _, rule := range rules {
		m, ok := rule.(map[string]any)
		if !ok {
			continue
		}
		p := obj(m, "properties")
		for _, key := range []string{"source_port_ranges", "destination_port_ranges", "source_address_prefixes", "destination_address_prefixes"} {
			setDefault(p, key, []any{})
		}
	}
}

func (e *enrich) keyVault(ctx context.Context) error {
	for _, c := range []struct{ key, op string }{
		{"keys", "Microsoft.KeyVault/vaults/keys/read"},
		{"secrets", "Microsoft.KeyVault/vaults/secrets/read"},
	} {
		// The ARM lists carry attributes only; secret values are never
		// returned by them, and project keeps nothing the schema lacks.
		list, ok, err := e.list(ctx, e.id+"/"+c.key, apiKeyVault, c.op)
		if err != nil {
			return err
		}
		if ok {
			e.doc[c.key] = projectList(list, subSchema(e.schema, c.key))
		}
	}
	if err := e.vaultDataPlane(ctx); err != nil {
		return err
	}
	return e.diagnostics(ctx)
}

// vaultDataPlane reads what only the Key Vault data plane knows: each
// enabled key's rotation policy and each certificate's policy. A vault that
// refuses (firewall, no data-plane role) is a collection error and the
// fields stay absent, so the checks reading them report ERROR.
func (e *enrich) vaultDataPlane(ctx context.Context) error {
	uri := str(obj(e.doc, "properties")["vault_uri"])
	api := e.r.c.api
	if api.vaultURL(uri, "/") == "" {
		return nil
	}
	keySchema := subSchema(e.schema, "keys", "rotation_policy")
	if keys, ok := e.doc["keys"].([]any); ok {
		for _, k := range keys {
			km, _ := k.(map[string]any)
			attrs, _ := obj(km, "properties")["attributes"].(map[string]any)
			if enabled, _ := attrs["enabled"].(bool); !enabled {
				continue
			}
			var v any
			ok, err := e.r.try(ctx, e.sub, e.region, e.service, "Microsoft.KeyVault/vaults/keys/rotationpolicy/read (data plane)", func() (err error) {
				v, err = api.vaultGet(ctx, api.vaultURL(uri, "/keys/"+url.PathEscape(str(km["name"]))+"/rotationpolicy"))
				return err
			})
			if err != nil {
				return err
			}
			if !ok {
				return nil // one refusal is enough: the vault refuses them all
			}
			km["rotation_policy"] = project(v, keySchema)
		}
	}
	var certs []any
	ok, err := e.r.try(ctx, e.sub, e.region, e.service, "Microsoft.KeyVault/vaults/certificates/read (data plane)", func() (err error) {
		certs, err = api.vaultList(ctx, api.vaultURL(uri, "/certificates"))
		return err
	})
	if !ok || err != nil {
		return err
	}
	cs := subSchema(e.schema, "certificates")
	out := make([]any, 0, len(certs))
	for _, c := range certs {
		cm, _ := c.(map[string]any)
		id := str(cm["id"])
		name := id[strings.LastIndex(id, "/")+1:]
		if name == "" {
			continue
		}
		doc := project(cm, cs)
		doc["name"] = name
		var pol any
		ok, err := e.r.try(ctx, e.sub, e.region, e.service, "Microsoft.KeyVault/vaults/certificates/read (data plane policy)", func() (err error) {
			pol, err = api.vaultGet(ctx, api.vaultURL(uri, "/certificates/"+url.PathEscape(name)+"/policy"))
			return err
		})
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		doc["policy"] = project(pol, subSchema(cs, "policy"))
		out = append(out, doc)
	}
	e.doc["certificates"] = out
	return nil
}

// diagnostics stores the resource's diagnostic settings under
// diagnostic_settings; a failed call leaves the key absent.
func (e *enrich) diagnostics(ctx context.Context) error {
	list, ok, err := e.list(ctx, e.id+"/providers/Microsoft.Insights/diagnosticSettings", apiDiagnostics,
		"Microsoft.Insights/diagnosticSettings/read")
	if ok {
		e.doc["diagnostic_settings"] = projectList(list, subSchema(e.schema, "diagnostic_settings"))
	}
	return err
}

func (e *enrich) sqlServer(ctx context.Context) error {
	list, ok, err := e.list(ctx, e.id+"/firewallRules", apiSQL, "Microsoft.Sql/servers/firewallRules/read")
	if err != nil {
		return err
	}
	if ok {
		e.doc["firewall_rules"] = projectList(list, subSchema(e.schema, "firewall_rules"))
	}
	if _, err := e.get(ctx, "auditing_settings", e.id+"/auditingSettings/default", apiSQL,
		"Microsoft.Sql/servers/auditingSettings/read", subSchema(e.schema, "auditing_settings")); err != nil {
		return err
	}
	if _, err := e.get(ctx, "encryption_protector", e.id+"/encryptionProtector/current", apiSQL,
		"Microsoft.Sql/servers/encryptionProtector/read", subSchema(e.schema, "encryption_protector")); err != nil {
		return err
	}
	dbs, ok, err := e.list(ctx, e.id+"/databases", apiSQL, "Microsoft.Sql/servers/databases/read")
	if !ok || err != nil {
		return err
	}
	dbSchema := subSchema(e.schema, "databases")
	out := make([]any, 0, len(dbs))
	for _, el := range dbs {
		m, _ := el.(map[string]any)
		if strings.EqualFold(str(m["name"]), "master") {
			continue
		}
		db := project(m, dbSchema)
		dbID := str(m["id"])
		if _, err := (&enrich{r: e.r, sub: e.sub, region: e.region, service: e.service, id: dbID, doc: db}).get(ctx,
			"transparent_data_encryption", dbID+"/transparentDataEncryption/current", apiSQL,
			"Microsoft.Sql/servers/databases/transparentDataEncryption/read", subSchema(dbSchema, "transparent_data_encryption")); err != nil {
			return err
		}
		out = append(out, db)
	}
	e.doc["databases"] = out
	return nil
}

// secretName and secretValue spot application settings that hold a
// credential: by name (…KEY, …SECRET, …PASSWORD, connection strings) or by
// value (connection-string syntax, JWTs, long random tokens). Key Vault
// references (@Microsoft.KeyVault(…)) are not secrets, nor are Application
// Insights connection strings, whose instrumentation key is public by
// design (it ships in browser JavaScript).
var (
	secretName  = regexp.MustCompile(`(?i)(secret|password|passwd|pwd|token|api_?key|access_?key|private_?key|connection_?string|conn_?str|credential|sas)`)
	secretValue = regexp.MustCompile(`(?i)(AccountKey=|SharedAccessKey=|Password=|pwd=|^eyJ[A-Za-z0-9_-]{10,}\.|^[A-Za-z0-9+/=_-]{32,}$|^(sk|rk)_(live|test)_)`)
)

// looksLikeSecret reports whether an application setting holds a secret
// in clear text.
func looksLikeSecret(name, value string) bool {
	v := strings.TrimSpace(value)
	if v == "" || strings.HasPrefix(v, "@Microsoft.KeyVault(") || strings.HasPrefix(v, "InstrumentationKey=") {
		return false
	}
	return secretValue.MatchString(v) || (secretName.MatchString(name) && len(v) >= 8 && !strings.HasPrefix(strings.ToLower(v), "http"))
}

func (e *enrich) appService(ctx context.Context) error {
	p := obj(e.doc, "properties")
	var cfg any
	ok, err := e.r.try(ctx, e.sub, e.region, e.service, "Microsoft.Web/sites/config/read", func() (err error) {
		cfg, err = e.r.c.api.get(ctx, e.id+"/config/web", apiWeb)
		return err
	})
	if err != nil {
		return err
	}
	if ok {
		m, _ := cfg.(map[string]any)
		p["site_config"] = project(m["properties"], subSchema(e.schema, "properties", "site_config"))
	}
	if err := e.diagnostics(ctx); err != nil {
		return err
	}
	var settings any
	ok, err = e.r.try(ctx, e.sub, e.region, e.service, "Microsoft.Web/sites/config/list/action", func() (err error) {
		settings, err = e.r.c.api.listAction(ctx, e.id+"/config/appsettings/list", apiWeb)
		return err
	})
	if !ok || err != nil {
		return err
	}
	m, _ := settings.(map[string]any)
	values, _ := m["properties"].(map[string]any)
	names := make([]string, 0, len(values))
	for k := range values {
		names = append(names, k)
	}
	slices.Sort(names)
	out := make([]any, 0, len(names))
	for _, n := range names {
		out = append(out, map[string]any{"name": n, "looks_like_secret": looksLikeSecret(n, str(values[n]))})
	}
	e.doc["app_settings"] = out
	return nil
}

// tagsOf converts Resource Graph tags.
func tagsOf(v any) map[string]string {
	m, _ := v.(map[string]any)
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, val := range m {
		out[k] = str(val)
	}
	return out
}

// createdOf returns the creation time ARM reports in a resource's
// properties, or zero.
func createdOf(props map[string]any) time.Time {
	for _, key := range []string{"creation_time", "time_created", "created_on"} {
		if t, ok := parseTime(str(props[key])); ok {
			return t
		}
	}
	return time.Time{}
}
