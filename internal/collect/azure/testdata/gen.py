#!/usr/bin/env python3
"""Writes testdata/arm: the recorded-style ARM, Resource Graph and Microsoft
Graph answers the fake endpoint (aztest) serves. Run from this directory:
python3 gen.py. The answers follow the shapes the real APIs return
(camelCase, ARM envelopes, value/nextLink lists)."""
import json, os, shutil

TENANT = "7d3e5b1a-2f4c-4e8b-9a61-0c5d2e8f4b17"
PROD = "3f2a9c61-8b4e-4d7a-a5c2-1e9f0b6d7a42"
SBX = "b81d4e07-6c35-4f9e-8e2a-5d7c3a1f9b60"
ROOT = "arm"

def w(path, doc):
    p = os.path.join(ROOT, path.lstrip("/") + ".json")
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")

def rid(sub, rg, typ, name):
    return f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{typ}/{name}"

shutil.rmtree(ROOT, ignore_errors=True)

def sub_obj(sid, name, owner):
    return {"id": f"/subscriptions/{sid}", "subscriptionId": sid, "tenantId": TENANT, "displayName": name,
            "state": "Enabled", "authorizationSource": "RoleBased",
            "subscriptionPolicies": {"locationPlacementId": "Public_2014-09-01", "quotaId": "EnterpriseAgreement_2014-09-01", "spendingLimit": "Off"},
            "tags": {"owner": owner}}

subs = {PROD: sub_obj(PROD, "Acme Production", "cloud-platform"), SBX: sub_obj(SBX, "Acme Sandbox", "growth-team")}
# Two pages: the second through nextLink.
w("/subscriptions", {"value": [subs[PROD]], "nextLink": "{{server}}/subscriptions?api-version=2022-12-01&%24skiptoken=page2"})
# The fake ignores the query, so page 2 lives at the same path: serve it from a distinct file via a distinct path.
w("/subscriptions", {"value": [subs[PROD]], "nextLink": "{{server}}/subscriptionsPage2?api-version=2022-12-01"})
w("/subscriptionsPage2", {"value": [subs[SBX]]})
for s in subs.values():
    w(f"/subscriptions/{s['subscriptionId']}", s)

PLANS = ["CloudPosture", "VirtualMachines", "StorageAccounts", "SqlServers", "SqlServerVirtualMachines",
         "OpenSourceRelationalDatabases", "CosmosDbs", "KeyVaults", "Containers", "AppServices", "Arm", "Api"]
for sid in (PROD, SBX):
    vals = []
    for p in PLANS:
        free = sid == SBX and p in ("VirtualMachines", "StorageAccounts")
        props = {"pricingTier": "Free" if free else "Standard", "freeTrialRemainingTime": "PT0S"}
        if not free:
            props["enablementTime"] = "2024-03-01T09:12:44.1234567Z"
            if p == "VirtualMachines":
                props["subPlan"] = "P2"
                props["extensions"] = [{"name": "AgentlessVmScanning", "isEnabled": "True", "additionalExtensionProperties": {"ExclusionTags": "[]"}},
                                       {"name": "FileIntegrityMonitoring", "isEnabled": "True"},
                                       {"name": "MdeDesignatedSubscription", "isEnabled": "False"}]
            if p == "StorageAccounts":
                props["subPlan"] = "DefenderForStorageV2"
                props["extensions"] = [{"name": "OnUploadMalwareScanning", "isEnabled": "True"}]
        vals.append({"id": f"/subscriptions/{sid}/providers/Microsoft.Security/pricings/{p}", "name": p,
                     "type": "Microsoft.Security/pricings", "properties": props})
    w(f"/subscriptions/{sid}/providers/Microsoft.Security/pricings", {"value": vals})
    contact = {"emails": "secops@acme.example;cloud-platform@acme.example", "phone": "", "isEnabled": True,
               "notificationsByRole": {"state": "On", "roles": ["Owner"]},
               "notificationsSources": [{"sourceType": "Alert", "minimalSeverity": "Medium"},
                                        {"sourceType": "AttackPath", "minimalRiskLevel": "High"}]}
    if sid == SBX:
        contact = {"emails": "", "phone": "", "isEnabled": True,
                   "notificationsByRole": {"state": "Off", "roles": []},
                   "notificationsSources": [{"sourceType": "Alert", "minimalSeverity": "High"}]}
    w(f"/subscriptions/{sid}/providers/Microsoft.Security/securityContacts",
      {"value": [{"id": f"/subscriptions/{sid}/providers/Microsoft.Security/securityContacts/default", "name": "default",
                  "type": "Microsoft.Security/securityContacts", "properties": contact}]})
    w(f"/subscriptions/{sid}/providers/Microsoft.Security/settings", {"value": [
        {"id": f"/subscriptions/{sid}/providers/Microsoft.Security/settings/WDATP", "name": "WDATP", "type": "Microsoft.Security/settings",
         "kind": "DataExportSettings", "properties": {"enabled": sid == PROD}},
        {"id": f"/subscriptions/{sid}/providers/Microsoft.Security/settings/MCAS", "name": "MCAS", "type": "Microsoft.Security/settings",
         "kind": "DataExportSettings", "properties": {"enabled": True}}]})
    law = f"/subscriptions/{PROD}/resourceGroups/rg-monitoring/providers/Microsoft.OperationalInsights/workspaces/law-acme-security"
    diags = [] if sid == SBX else [{"id": f"/subscriptions/{sid}/providers/microsoft.insights/diagnosticSettings/activity-to-law",
        "name": "activity-to-law", "type": "Microsoft.Insights/diagnosticSettings",
        "properties": {"workspaceId": law, "logAnalyticsDestinationType": None,
                       "storageAccountId": rid(PROD, "rg-monitoring", "Microsoft.Storage/storageAccounts", "acmeprodlogs").lower(),
                       "logs": [{"category": c, "categoryGroup": None, "enabled": True}
                                for c in ["Administrative", "Security", "ServiceHealth", "Alert", "Recommendation", "Policy", "Autoscale", "ResourceHealth"]]}}]
    w(f"/subscriptions/{sid}/providers/Microsoft.Insights/diagnosticSettings", {"value": diags})

def role(sid, guid, name, actions, scopes):
    return {"id": f"/subscriptions/{sid}/providers/Microsoft.Authorization/roleDefinitions/{guid}", "name": guid,
            "type": "Microsoft.Authorization/roleDefinitions",
            "properties": {"roleName": name, "type": "CustomRole", "description": name,
                           "assignableScopes": scopes,
                           "permissions": [{"actions": actions, "notActions": [], "dataActions": [], "notDataActions": []}],
                           "createdOn": "2023-05-02T10:11:12.3456789Z", "updatedOn": "2025-01-10T08:00:00.0000000Z",
                           "createdBy": "9f3c0e2a-0000-4000-8000-000000000001", "updatedBy": "9f3c0e2a-0000-4000-8000-000000000001"}}
w(f"/subscriptions/{PROD}/providers/Microsoft.Authorization/roleDefinitions",
  {"value": [role(PROD, "6a1d4c1e-0b7f-4e4f-9f3c-2d8b1e5a7c90", "Acme VM Operator",
                  ["Microsoft.Compute/virtualMachines/read", "Microsoft.Compute/virtualMachines/start/action"], [f"/subscriptions/{PROD}"])]})
w(f"/subscriptions/{SBX}/providers/Microsoft.Authorization/roleDefinitions",
  {"value": [role(SBX, "c3e8a4b2-7d19-4f6a-b0e5-8f2c9d1a3b74", "Sandbox Admin", ["*"], [f"/subscriptions/{SBX}"])]})

w("/graph/v1.0/policies/identitySecurityDefaultsEnforcementPolicy",
  {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/identitySecurityDefaultsEnforcementPolicy/$entity",
   "id": "00000000-0000-0000-0000-000000000005", "displayName": "Security Defaults",
   "description": "Security defaults is a set of basic identity security mechanisms recommended by Microsoft.", "isEnabled": False})

rows = []
def row(sub, rg, typ, name, loc, props, tags=None, **extra):
    r = {"id": rid(sub, rg, typ, name), "name": name, "type": typ.lower(), "location": loc, "resourceGroup": rg,
         "subscriptionId": sub, "tenantId": TENANT, "kind": "", "sku": None, "identity": None, "zones": None,
         "managedBy": "", "tags": tags if tags is not None else {}, "properties": props}
    r.update(extra)
    rows.append(r)
    return r["id"]

# ---- storage ----
def storage_props(**over):
    p = {"provisioningState": "Succeeded", "creationTime": "2022-04-11T09:30:12.1234567Z", "accessTier": "Hot",
         "supportsHttpsTrafficOnly": True, "minimumTlsVersion": "TLS1_2", "allowBlobPublicAccess": False,
         "allowSharedKeyAccess": False, "allowCrossTenantReplication": False, "defaultToOAuthAuthentication": True,
         "publicNetworkAccess": "Enabled",
         "networkAcls": {"defaultAction": "Deny", "bypass": "AzureServices", "ipRules": [{"value": "203.0.113.0/24", "action": "Allow"}], "virtualNetworkRules": [], "resourceAccessRules": []},
         "encryption": {"keySource": "Microsoft.Storage", "requireInfrastructureEncryption": True,
                        "services": {"blob": {"enabled": True, "keyType": "Account", "lastEnabledTime": "2022-04-11T09:30:12.2Z"},
                                     "file": {"enabled": True, "keyType": "Account", "lastEnabledTime": "2022-04-11T09:30:12.2Z"}}},
         "keyCreationTime": {"key1": "2025-09-01T10:00:00.0000000Z", "key2": "2025-09-01T10:00:00.0000000Z"},
         "primaryEndpoints": {"blob": "https://x.blob.core.windows.net/"}, "privateEndpointConnections": []}
    p.update(over)
    return p

logs = row(PROD, "rg-monitoring", "Microsoft.Storage/storageAccounts", "acmeprodlogs", "eastus",
           storage_props(encryption={"keySource": "Microsoft.Keyvault", "requireInfrastructureEncryption": True,
                                     "keyvaultproperties": {"keyname": "cmk-storage", "keyversion": "", "keyvaulturi": "{{server}}/kvdata/kv-acme-prod/"},
                                     "services": {"blob": {"enabled": True, "keyType": "Account"}, "file": {"enabled": True, "keyType": "Account"}}},
                         keyPolicy={"keyExpirationPeriodInDays": 90}),
           {"owner": "secops", "environment": "production"}, kind="StorageV2", sku={"name": "Standard_GRS", "tier": "Standard"})
pub_props = storage_props(allowBlobPublicAccess=True, allowCrossTenantReplication=None,
                          networkAcls={"defaultAction": "Allow", "bypass": "AzureServices", "ipRules": [], "virtualNetworkRules": []})
del pub_props["minimumTlsVersion"]  # an old account: ARM leaves it out (TLS 1.0)
del pub_props["allowSharedKeyAccess"]
pub = row(SBX, "rg-sandbox", "Microsoft.Storage/storageAccounts", "acmesbxpublic", "eastus", pub_props,
          {"owner": "growth-team"}, kind="StorageV2", sku={"name": "Standard_LRS", "tier": "Standard"})

# The ARM GET of each storage account (a distributed subscription job reads
# the activity log's destination account there: it has no inventory).
for r in list(rows):
    if r["type"] == "microsoft.storage/storageaccounts":
        w(r["id"], {"id": r["id"], "name": r["name"], "type": "Microsoft.Storage/storageAccounts", "location": r["location"],
                    "kind": r["kind"], "sku": r["sku"], "tags": r["tags"], "properties": r["properties"]})

def blobsvc(acct, on):
    w(acct + "/blobServices/default", {"id": acct + "/blobServices/default", "name": "default", "type": "Microsoft.Storage/storageAccounts/blobServices",
        "sku": {"name": "Standard_GRS", "tier": "Standard"},
        "properties": {"cors": {"corsRules": []}, "deleteRetentionPolicy": {"allowPermanentDelete": False, "enabled": on, "days": 14} if on else {"allowPermanentDelete": False, "enabled": False},
                       "containerDeleteRetentionPolicy": {"enabled": on, "days": 14} if on else {"enabled": False},
                       "isVersioningEnabled": on}})
blobsvc(logs, True)
blobsvc(pub, False)
def filesvc(acct, on):
    p = {"cors": {"corsRules": []}, "shareDeleteRetentionPolicy": {"enabled": on, "days": 14} if on else {"enabled": False}}
    if on:
        p["protocolSettings"] = {"smb": {"versions": "SMB3.1.1", "channelEncryption": "AES-256-GCM", "authenticationMethods": "Kerberos", "kerberosTicketEncryption": "AES-256", "multichannel": None}}
    else:
        p["protocolSettings"] = {"smb": {}}
    w(acct + "/fileServices/default", {"id": acct + "/fileServices/default", "name": "default", "type": "Microsoft.Storage/storageAccounts/fileServices",
        "sku": {"name": "Standard_GRS", "tier": "Standard"}, "properties": p})
filesvc(logs, True)
filesvc(pub, False)

def container(acct, name, access):
    return {"id": acct + "/blobServices/default/containers/" + name, "name": name, "type": "Microsoft.Storage/storageAccounts/blobServices/containers",
            "etag": "\"0x8DC0000000000\"",
            "properties": {"publicAccess": access, "lastModifiedTime": "2025-10-01T12:00:00.0000000Z", "leaseState": "Available", "leaseStatus": "Unlocked",
                           "hasImmutabilityPolicy": False, "hasLegalHold": False, "deleted": False, "remainingRetentionDays": 0,
                           "defaultEncryptionScope": "$account-encryption-key", "denyEncryptionScopeOverride": False}}
w(logs + "/blobServices/default/containers", {"value": [container(logs, "insights-activity-logs", "None")]})
# Two pages through nextLink.
w(pub + "/blobServices/default/containers", {"value": [container(pub, "downloads", "Blob")],
    "nextLink": "{{server}}" + pub + "/blobServices/default/containersPage2?api-version=2023-05-01"})
w(pub + "/blobServices/default/containersPage2", {"value": [container(pub, "internal", "None")]})

# ---- compute ----
web_os = rid(PROD, "rg-web-eus", "Microsoft.Compute/disks", "vm-prod-web-01_OsDisk")
web_data = rid(PROD, "rg-web-eus", "Microsoft.Compute/disks", "vm-prod-web-01_data0")
def vm_props(name, os_disk, data_disks, trusted=True):
    p = {"vmId": "5d1c2e3f-0000-4000-8000-" + name[-12:].rjust(12, "0").replace("-", "0"), "provisioningState": "Succeeded", "timeCreated": "2024-02-03T04:05:06.7891234+00:00",
         "hardwareProfile": {"vmSize": "Standard_D4s_v5"},
         "storageProfile": {"imageReference": {"publisher": "Canonical", "offer": "ubuntu-24_04-lts", "sku": "server", "version": "latest", "exactVersion": "24.04.202409120"},
                            "osDisk": os_disk, "dataDisks": data_disks, "diskControllerType": "SCSI"},
         "osProfile": {"computerName": name, "adminUsername": "azureops", "linuxConfiguration": {"disablePasswordAuthentication": True, "provisionVMAgent": True,
                        "ssh": {"publicKeys": [{"path": "/home/azureops/.ssh/authorized_keys", "keyData": "ssh-ed25519 AAAAC3Nza fake"}]}},
                       "secrets": [], "allowExtensionOperations": True},
         "diagnosticsProfile": {"bootDiagnostics": {"enabled": True}},
         "networkProfile": {"networkInterfaces": [{"id": rid(PROD, "rg-web-eus", "Microsoft.Network/networkInterfaces", name + "-nic")}]}}
    if trusted:
        p["securityProfile"] = {"encryptionAtHost": True, "securityType": "TrustedLaunch", "uefiSettings": {"secureBootEnabled": True, "vTpmEnabled": True}}
    return p
vm1 = row(PROD, "rg-web-eus", "Microsoft.Compute/virtualMachines", "vm-prod-web-01", "eastus",
          vm_props("vm-prod-web-01",
                   {"osType": "Linux", "name": "vm-prod-web-01_OsDisk", "createOption": "FromImage", "caching": "ReadWrite", "diskSizeGB": 64,
                    "managedDisk": {"id": web_os, "storageAccountType": "Premium_LRS"}, "deleteOption": "Delete"},
                   [{"lun": 0, "name": "vm-prod-web-01_data0", "createOption": "Attach", "caching": "ReadOnly", "diskSizeGB": 256,
                     "managedDisk": {"id": web_data, "storageAccountType": "Premium_LRS"}, "toBeDetached": False}]),
          {"owner": "web-team", "environment": "production"}, identity={"type": "SystemAssigned", "principalId": "0f6b0000-0000-4000-8000-000000000001", "tenantId": TENANT}, zones=["1"])
vm2 = row(SBX, "rg-sandbox", "Microsoft.Compute/virtualMachines", "vm-sbx-legacy", "eastus",
          vm_props("vm-sbx-legacy",
                   {"osType": "Linux", "name": "vm-sbx-legacy-os", "createOption": "FromImage", "caching": "ReadWrite", "diskSizeGB": 30,
                    "vhd": {"uri": "https://acmesbxpublic.blob.core.windows.net/vhds/vm-sbx-legacy-os.vhd"}}, [], trusted=False),
          {"environment": "sandbox"})
ext = lambda vm, name, pub, typ: {"id": vm + "/extensions/" + name, "name": name, "type": "Microsoft.Compute/virtualMachines/extensions", "location": "eastus",
    "properties": {"publisher": pub, "type": typ, "typeHandlerVersion": "1.33", "autoUpgradeMinorVersion": True, "provisioningState": "Succeeded",
                   "settings": {"workspaceId": "law"}}}
w(vm1 + "/extensions", {"value": [ext(vm1, "AzureMonitorLinuxAgent", "Microsoft.Azure.Monitor", "AzureMonitorLinuxAgent"),
                                  ext(vm1, "MDE.Linux", "Microsoft.Azure.AzureDefenderForServers", "MDE.Linux")]})
w(vm2 + "/extensions", {"value": []})

def disk_props(state, size, enc="EncryptionAtRestWithPlatformKey", nap="DenyAll", os=None):
    p = {"timeCreated": "2024-02-03T04:05:06.7891234+00:00", "diskSizeGB": size, "diskSizeBytes": size << 30, "diskState": state,
         "provisioningState": "Succeeded", "uniqueId": "d15c0000-0000-4000-8000-000000000000",
         "encryption": {"type": enc}, "networkAccessPolicy": nap, "publicNetworkAccess": "Disabled" if nap == "DenyAll" else "Enabled",
         "creationData": {"createOption": "FromImage"}}
    if os:
        p["osType"] = os
    return p
row(PROD, "rg-web-eus", "Microsoft.Compute/disks", "vm-prod-web-01_OsDisk", "eastus", disk_props("Attached", 64, os="Linux"),
    {"owner": "web-team"}, sku={"name": "Premium_LRS", "tier": "Premium"}, managedBy=vm1, zones=["1"])
row(PROD, "rg-web-eus", "Microsoft.Compute/disks", "vm-prod-web-01_data0", "eastus", disk_props("Attached", 256),
    {"owner": "web-team"}, sku={"name": "Premium_LRS", "tier": "Premium"}, managedBy=vm1, zones=["1"])
row(SBX, "rg-sandbox", "Microsoft.Compute/disks", "disk-sbx-orphan", "eastus", disk_props("Unattached", 128, nap="AllowAll"),
    {"owner": "growth-team"}, sku={"name": "StandardSSD_LRS", "tier": "Standard"})

# ---- network ----
def rule(nsg, name, prio, src, port, access="Allow", proto="Tcp", ports=None, srcs=None):
    p = {"provisioningState": "Succeeded", "protocol": proto, "sourcePortRange": "*", "access": access, "priority": prio, "direction": "Inbound",
         "sourcePortRanges": [], "destinationPortRanges": ports or [], "sourceAddressPrefixes": srcs or [], "destinationAddressPrefixes": [],
         "destinationAddressPrefix": "*"}
    if port:
        p["destinationPortRange"] = port
    if src:
        p["sourceAddressPrefix"] = src
    return {"name": name, "id": nsg + "/securityRules/" + name, "etag": "W/\"1\"", "type": "Microsoft.Network/networkSecurityGroups/securityRules", "properties": p}
def default_rules(nsg):
    return [rule(nsg, "AllowVnetInBound", 65000, "VirtualNetwork", "*", proto="*"),
            rule(nsg, "DenyAllInBound", 65500, "*", "*", access="Deny", proto="*")]
nsg_app = rid(PROD, "rg-network-eus", "Microsoft.Network/networkSecurityGroups", "nsg-app-eus")
vnet_prod = rid(PROD, "rg-network-eus", "Microsoft.Network/virtualNetworks", "vnet-prod-eus")
row(PROD, "rg-network-eus", "Microsoft.Network/networkSecurityGroups", "nsg-app-eus", "eastus",
    {"provisioningState": "Succeeded", "resourceGuid": "1b7e7c4e-0001-4a8e-9c1d-5f2a3b4c5d01",
     "securityRules": [rule(nsg_app, "allow-https-internet", 100, "Internet", "443"), rule(nsg_app, "deny-ssh-internet", 200, "Internet", "22", access="Deny")],
     "defaultSecurityRules": default_rules(nsg_app), "subnets": [{"id": vnet_prod + "/subnets/snet-app"}]},
    {"owner": "network-team"})
nsg_jump = rid(SBX, "rg-sandbox", "Microsoft.Network/networkSecurityGroups", "nsg-sbx-jump")
row(SBX, "rg-sandbox", "Microsoft.Network/networkSecurityGroups", "nsg-sbx-jump", "eastus",
    {"provisioningState": "Succeeded", "resourceGuid": "1b7e7c4e-0007-4a8e-9c1d-5f2a3b4c5d07",
     "securityRules": [rule(nsg_jump, "allow-rdp", 300, "Internet", "3389"),
                       rule(nsg_jump, "allow-dev", 310, None, None, proto="*", ports=["22", "8080"], srcs=["198.51.100.0/24", "0.0.0.0/0"])],
     "defaultSecurityRules": default_rules(nsg_jump), "networkInterfaces": [{"id": rid(SBX, "rg-sandbox", "Microsoft.Network/networkInterfaces", "vm-sbx-legacy-nic")}]},
    {"owner": "growth-team"})
def subnet(vnet, name, cidr, nsg=None):
    p = {"provisioningState": "Succeeded", "addressPrefix": cidr, "privateEndpointNetworkPolicies": "Disabled", "privateLinkServiceNetworkPolicies": "Enabled"}
    if nsg:
        p["networkSecurityGroup"] = {"id": nsg}
    return {"name": name, "id": vnet + "/subnets/" + name, "etag": "W/\"1\"", "type": "Microsoft.Network/virtualNetworks/subnets", "properties": p}
row(PROD, "rg-network-eus", "Microsoft.Network/virtualNetworks", "vnet-prod-eus", "eastus",
    {"provisioningState": "Succeeded", "resourceGuid": "aa00", "addressSpace": {"addressPrefixes": ["10.10.0.0/16"]}, "enableDdosProtection": False,
     "subnets": [subnet(vnet_prod, "snet-app", "10.10.1.0/24", nsg_app), subnet(vnet_prod, "GatewaySubnet", "10.10.255.0/27")], "virtualNetworkPeerings": []},
    {"owner": "network-team"})
vnet_sbx = rid(SBX, "rg-sandbox-weu", "Microsoft.Network/virtualNetworks", "vnet-sbx-weu")
row(SBX, "rg-sandbox-weu", "Microsoft.Network/virtualNetworks", "vnet-sbx-weu", "westeurope",
    {"provisioningState": "Succeeded", "resourceGuid": "bb00", "addressSpace": {"addressPrefixes": ["10.91.0.0/16"]}, "enableDdosProtection": False,
     "subnets": [subnet(vnet_sbx, "snet-dev", "10.91.1.0/24")], "virtualNetworkPeerings": []},
    {"owner": "growth-team"})
for sid, loc in ((PROD, "eastus"), (SBX, "eastus")):
    row(sid, "NetworkWatcherRG", "Microsoft.Network/networkWatchers", "NetworkWatcher_" + loc, loc, {"provisioningState": "Succeeded"})

# ---- key vault ----
# Vault URIs point at the fake (data-plane reads go to {{server}}/kvdata/NAME).
VAULT = lambda name: "{{server}}/kvdata/" + name + "/"
def vault_props(name, purge=True, rbac=True):
    p = {"tenantId": TENANT, "sku": {"family": "A", "name": "standard"}, "accessPolicies": [], "vaultUri": VAULT(name),
         "enabledForDeployment": False, "enableSoftDelete": True, "softDeleteRetentionInDays": 90, "enableRbacAuthorization": rbac,
         "publicNetworkAccess": "Disabled", "networkAcls": {"defaultAction": "Deny", "bypass": "AzureServices", "ipRules": [], "virtualNetworkRules": []},
         "provisioningState": "Succeeded", "privateEndpointConnections": []}
    if purge:
        p["enablePurgeProtection"] = True
    return p
kv1 = row(PROD, "rg-security", "Microsoft.KeyVault/vaults", "kv-acme-prod", "eastus", vault_props("kv-acme-prod"), {"owner": "secops"})
kv2 = row(SBX, "rg-sandbox", "Microsoft.KeyVault/vaults", "kv-acme-sbx", "eastus", vault_props("kv-acme-sbx", purge=False, rbac=False), {"owner": "growth-team"})
def item(vault, kind, name, exp):
    a = {"enabled": True, "created": 1717200000, "updated": 1717200000, "recoveryLevel": "Recoverable+Purgeable"}
    if exp:
        a["exp"] = exp
    p = {"attributes": a, "keyUri": f"{vault}/{kind}/{name}"} if kind == "keys" else {"attributes": a, "secretUri": f"{vault}/{kind}/{name}", "contentType": "text/plain"}
    return {"id": f"{vault}/{kind}/{name}", "name": name, "type": f"Microsoft.KeyVault/vaults/{kind}", "location": "eastus", "properties": p}
w(kv1 + "/keys", {"value": [item(kv1, "keys", "cmk-storage", 1798761600)]})
w(kv1 + "/secrets", {"value": [item(kv1, "secrets", "db-password", 1798761600)]})
w(kv2 + "/keys", {"value": []})
w(kv2 + "/secrets", {"value": [item(kv2, "secrets", "stripe-test-key", None)]})
w(kv1 + "/providers/Microsoft.Insights/diagnosticSettings", {"value": [{"id": kv1 + "/providers/microsoft.insights/diagnosticSettings/audit-to-law", "name": "audit-to-law",
    "properties": {"workspaceId": f"/subscriptions/{PROD}/resourceGroups/rg-monitoring/providers/Microsoft.OperationalInsights/workspaces/law-acme-security",
                   "logs": [{"category": None, "categoryGroup": "audit", "enabled": True, "retentionPolicy": {"enabled": False, "days": 0}}],
                   "metrics": [{"category": "AllMetrics", "enabled": False}]}}]})
w(kv2 + "/providers/Microsoft.Insights/diagnosticSettings", {"value": []})
def rotation(rotate):
    acts = [{"trigger": {"timeBeforeExpiry": "P30D"}, "action": {"type": "Notify"}}]
    if rotate:
        acts.insert(0, {"trigger": {"timeAfterCreate": "P90D"}, "action": {"type": "Rotate"}})
    return {"id": "https://x.vault.azure.net/keys/k/rotationpolicy", "lifetimeActions": acts,
            "attributes": {"expiryTime": "P2Y", "created": 1717200000, "updated": 1717200000}}
w("/kvdata/kv-acme-prod/keys/cmk-storage/rotationpolicy", rotation(True))
def cert(vault, name, months):
    w(f"/kvdata/{vault}/certificates/{name}/policy", {"id": f"https://{vault}.vault.azure.net/certificates/{name}/policy",
        "key_props": {"exportable": False, "kty": "RSA", "key_size": 2048, "reuse_key": False},
        "secret_props": {"contentType": "application/x-pkcs12"},
        "x509_props": {"subject": f"CN={name}.acme.example", "sans": {"dns_names": [f"{name}.acme.example"]}, "validity_months": months},
        "lifetime_actions": [{"trigger": {"lifetime_percentage": 80}, "action": {"action_type": "AutoRenew"}}],
        "issuer": {"name": "Self"}, "attributes": {"enabled": True, "created": 1717200000, "updated": 1717200000}})
    return {"id": f"https://{vault}.vault.azure.net/certificates/{name}", "x5t": "fake",
            "attributes": {"enabled": True, "nbf": 1717200000, "exp": 1748736000, "created": 1717200000, "updated": 1717200000}}
w("/kvdata/kv-acme-prod/certificates", {"value": [cert("kv-acme-prod", "www", 12)], "nextLink": "{{server}}/kvdata/kv-acme-prod/certificatesPage2?api-version=7.4"})
w("/kvdata/kv-acme-prod/certificatesPage2", {"value": [cert("kv-acme-prod", "api", 6)]})
w("/kvdata/kv-acme-sbx/certificates", {"value": [cert("kv-acme-sbx", "sbx", 24)]})

# ---- SQL ----
def sql_props(name, admin=True, tls="1.2"):
    p = {"administratorLogin": "sqladmin", "version": "12.0", "state": "Ready", "fullyQualifiedDomainName": f"{name}.database.windows.net",
         "privateEndpointConnections": [], "minimalTlsVersion": tls, "publicNetworkAccess": "Enabled", "restrictOutboundNetworkAccess": "Disabled"}
    if admin:
        p["administrators"] = {"administratorType": "ActiveDirectory", "principalType": "Group", "login": "sg-sql-admins",
                               "sid": "5c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f", "tenantId": TENANT, "azureADOnlyAuthentication": True}
    return p
sql1 = row(PROD, "rg-data-eus", "Microsoft.Sql/servers", "sql-acme-prod", "eastus", sql_props("sql-acme-prod"), {"owner": "data-platform"},
           kind="v12.0", identity={"type": "SystemAssigned", "principalId": "aa", "tenantId": TENANT})
sql2 = row(SBX, "rg-sandbox", "Microsoft.Sql/servers", "sql-acme-sbx", "eastus", sql_props("sql-acme-sbx", admin=False, tls="1.0"), {"owner": "growth-team"}, kind="v12.0")
def fw(srv, name, a, b):
    return {"id": srv + "/firewallRules/" + name, "name": name, "type": "Microsoft.Sql/servers/firewallRules", "properties": {"startIpAddress": a, "endIpAddress": b}}
w(sql1 + "/firewallRules", {"value": [fw(sql1, "office-egress", "203.0.113.0", "203.0.113.255")]})
w(sql2 + "/firewallRules", {"value": [fw(sql2, "AllowAll", "0.0.0.0", "255.255.255.255"), fw(sql2, "AllowAllWindowsAzureIps", "0.0.0.0", "0.0.0.0")]})
for srv, on in ((sql1, True), (sql2, False)):
    w(srv + "/auditingSettings/default", {"id": srv + "/auditingSettings/Default", "name": "Default", "type": "Microsoft.Sql/servers/auditingSettings",
        "properties": {"state": "Enabled" if on else "Disabled", "retentionDays": 90 if on else 0, "auditActionsAndGroups": ["BATCH_COMPLETED_GROUP"],
                       "isStorageSecondaryKeyInUse": False, "isAzureMonitorTargetEnabled": on, "storageEndpoint": "", "storageAccountSubscriptionId": "00000000-0000-0000-0000-000000000000"}})
    w(srv + "/encryptionProtector/current", {"id": srv + "/encryptionProtector/current", "name": "current", "kind": "servicemanaged",
        "type": "Microsoft.Sql/servers/encryptionProtector", "location": "East US",
        "properties": {"serverKeyName": "ServiceManaged", "serverKeyType": "ServiceManaged", "autoRotationEnabled": False}})
    dbname = "orders" if on else "scratch"
    dbs = []
    for n in ("master", dbname):
        dbs.append({"id": srv + "/databases/" + n, "name": n, "type": "Microsoft.Sql/servers/databases", "location": "eastus",
                    "sku": {"name": "GP_Gen5_2" if n != "master" else "System", "tier": "GeneralPurpose" if n != "master" else "System", "family": "Gen5", "capacity": 2},
                    "kind": "v12.0,user", "properties": {"status": "Online", "collation": "SQL_Latin1_General_CP1_CI_AS", "creationDate": "2024-01-01T00:00:00Z"}})
    w(srv + "/databases", {"value": dbs})
    w(srv + "/databases/" + dbname + "/transparentDataEncryption/current", {"id": srv + "/databases/" + dbname + "/transparentDataEncryption/Current",
        "name": "Current", "type": "Microsoft.Sql/servers/databases/transparentDataEncryption", "properties": {"state": "Enabled" if on else "Disabled"}})

# ---- App Service ----
def site(sub, rg, name, https, ftps, tls, settings):
    sid = row(sub, rg, "Microsoft.Web/sites", name, "East US",
              {"state": "Running", "defaultHostName": f"{name}.azurewebsites.net", "serverFarmId": rid(sub, rg, "Microsoft.Web/serverfarms", "asp-" + name),
               "httpsOnly": https, "clientCertEnabled": False, "clientCertMode": "Optional", "publicNetworkAccess": "Enabled", "siteConfig": {"numberOfWorkers": 1, "linuxFxVersion": ""},
               "enabledHostNames": [f"{name}.azurewebsites.net"], "hostNameSslStates": []},
              {"owner": "web-team"}, kind="app,linux", identity={"type": "SystemAssigned", "principalId": "9a7c", "tenantId": TENANT} if https else None)
    w(sid + "/config/web", {"id": sid + "/config/web", "name": name, "type": "Microsoft.Web/sites/config", "location": "East US",
        "properties": {"numberOfWorkers": 1, "netFrameworkVersion": "v4.0", "linuxFxVersion": "PYTHON|3.12", "http20Enabled": https, "minTlsVersion": tls,
                       "scmMinTlsVersion": "1.2", "ftpsState": ftps, "remoteDebuggingEnabled": False, "alwaysOn": True, "publishingUsername": "$" + name,
                       "scmType": "None", "ipSecurityRestrictions": [{"ipAddress": "Any", "action": "Allow", "priority": 2147483647, "name": "Allow all"}]}})
    w(sid + "/providers/Microsoft.Insights/diagnosticSettings", {"value": [] if not https else [{"id": sid + "/providers/microsoft.insights/diagnosticSettings/to-law",
        "name": "to-law", "properties": {"workspaceId": f"/subscriptions/{PROD}/resourceGroups/rg-monitoring/providers/Microsoft.OperationalInsights/workspaces/law-acme-security",
        "logs": [{"category": c, "categoryGroup": None, "enabled": True} for c in ("AppServiceHTTPLogs", "AppServiceAuditLogs")]}}]})
    w(sid + "/config/appsettings/list", {"id": sid + "/config/appsettings", "name": "appsettings", "type": "Microsoft.Web/sites/config", "location": "East US",
        "properties": settings})
site(PROD, "rg-web-eus", "app-acme-web", True, "Disabled", "1.2",
     {"APPLICATIONINSIGHTS_CONNECTION_STRING": "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://eastus-8.in.applicationinsights.azure.com/",
      "DATABASE_PASSWORD": "@Microsoft.KeyVault(SecretUri=https://kv-acme-prod.vault.azure.net/secrets/db-password/)", "FEATURE_FLAGS": "checkout-v2,search"})
site(SBX, "rg-sandbox", "app-acme-sbx", False, "AllAllowed", "1.0",
     {"STRIPE_SECRET_KEY": "sk_live_4eC39HqLyjWDarjtT1zdp7dcAZ-TEST-FIXTURE", "WEBSITE_RUN_FROM_PACKAGE": "1"})

# ---- AKS ----
row(PROD, "rg-aks-eus", "Microsoft.ContainerService/managedClusters", "aks-acme-prod", "eastus",
    {"provisioningState": "Succeeded", "powerState": {"code": "Running"}, "kubernetesVersion": "1.31.3", "dnsPrefix": "aks-acme-prod", "fqdn": "aks-acme-prod-dns.hcp.eastus.azmk8s.io",
     "enableRBAC": True, "disableLocalAccounts": True,
     "aadProfile": {"managed": True, "enableAzureRBAC": True, "adminGroupObjectIDs": ["2b8d6f3a-1c4e-4f7b-9a2d-6e5c8b1f0a3d"], "tenantID": TENANT},
     "networkProfile": {"networkPlugin": "azure", "networkPolicy": "cilium", "outboundType": "loadBalancer", "serviceCidr": "10.0.0.0/16"},
     "apiServerAccessProfile": {"authorizedIPRanges": ["203.0.113.0/24"], "enablePrivateCluster": False},
     "agentPoolProfiles": [{"name": "system", "count": 3, "vmSize": "Standard_D4s_v5", "osType": "Linux", "mode": "System", "enableNodePublicIP": False, "enableEncryptionAtHost": True, "orchestratorVersion": "1.31.3"}],
     "addonProfiles": {"azurepolicy": {"enabled": True, "config": None}, "omsAgent": {"enabled": True, "config": {"logAnalyticsWorkspaceResourceID": "law"}}},
     "servicePrincipalProfile": {"clientId": "msi"}},
    {"owner": "platform-team"}, sku={"name": "Base", "tier": "Standard"}, identity={"type": "SystemAssigned", "principalId": "cc", "tenantId": TENANT})

# ---- activity log alerts ----
ops = ["Microsoft.Authorization/policyAssignments/write", "Microsoft.Authorization/policyAssignments/delete",
       "Microsoft.Network/networkSecurityGroups/write", "Microsoft.Network/networkSecurityGroups/delete",
       "Microsoft.Security/securitySolutions/write", "Microsoft.Security/securitySolutions/delete",
       "Microsoft.Sql/servers/firewallRules/write", "Microsoft.Sql/servers/firewallRules/delete",
       "Microsoft.Network/publicIPAddresses/write", "Microsoft.Network/publicIPAddresses/delete"]
for sid in (PROD, SBX):
    ag = f"/subscriptions/{sid}/resourceGroups/rg-monitoring/providers/microsoft.insights/actionGroups/ag-secops"
    for op in ops:
        if sid == SBX and op.startswith("Microsoft.Network/publicIPAddresses"):
            continue
        name = "alert-" + op.split("/")[1] + "-" + op.split("/")[-1]
        row(sid, "rg-monitoring", "microsoft.insights/activityLogAlerts", name, "Global",
            {"scopes": [f"/subscriptions/{sid}"], "enabled": True, "description": "CIS activity log alert",
             "condition": {"allOf": [{"field": "category", "equals": "Administrative"}, {"field": "operationName", "equals": op}]},
             "actions": {"actionGroups": [{"actionGroupId": ag, "webhookProperties": {}}]}})
    row(sid, "rg-monitoring", "microsoft.insights/activityLogAlerts", "alert-service-health", "Global",
        {"scopes": [f"/subscriptions/{sid}"], "enabled": sid == PROD, "description": "",
         "condition": {"allOf": [{"field": "category", "equals": "ServiceHealth"}, {"anyOf": [{"field": "properties.incidentType", "equals": "Incident"}]}]},
         "actions": {"actionGroups": [{"actionGroupId": ag}]}})

# ---- role assignments, policy assignments, locks ----
OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
UAA = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
CONTRIB = "b24988ac-6180-42a0-ab88-20f7382dd24c"
def ra(sid, guid, role, principal, ptype, scope):
    return {"id": f"{scope.rstrip('/')}/providers/Microsoft.Authorization/roleAssignments/{guid}", "name": guid,
            "type": "Microsoft.Authorization/roleAssignments",
            "properties": {"roleDefinitionId": f"/subscriptions/{sid}/providers/Microsoft.Authorization/roleDefinitions/{role}",
                           "principalId": principal, "principalType": ptype, "scope": scope, "condition": None,
                           "createdOn": "2024-06-01T10:00:00.0000000Z", "updatedOn": "2024-06-01T10:00:00.0000000Z",
                           "createdBy": "9f3c0e2a-0000-4000-8000-000000000001", "delegatedManagedIdentityResourceId": None}}
w(f"/subscriptions/{PROD}/providers/Microsoft.Authorization/roleAssignments", {"value": [
    ra(PROD, "a1000000-0000-4000-8000-000000000001", OWNER, "11111111-0000-4000-8000-000000000001", "User", f"/subscriptions/{PROD}"),
    ra(PROD, "a1000000-0000-4000-8000-000000000002", OWNER, "11111111-0000-4000-8000-000000000002", "Group", f"/subscriptions/{PROD}")],
    "nextLink": "{{server}}/subscriptions/" + PROD + "/providers/Microsoft.Authorization/roleAssignmentsPage2?api-version=2022-04-01"})
w(f"/subscriptions/{PROD}/providers/Microsoft.Authorization/roleAssignmentsPage2", {"value": [
    ra(PROD, "a1000000-0000-4000-8000-000000000003", CONTRIB, "11111111-0000-4000-8000-000000000003", "ServicePrincipal", f"/subscriptions/{PROD}")]})
w(f"/subscriptions/{SBX}/providers/Microsoft.Authorization/roleAssignments", {"value": [
    ra(SBX, "b1000000-0000-4000-8000-000000000001", OWNER, "11111111-0000-4000-8000-000000000009", "User", f"/subscriptions/{SBX}"),
    ra(SBX, "b1000000-0000-4000-8000-000000000002", UAA, "11111111-0000-4000-8000-000000000001", "User", "/")]})
MCSB = "/providers/Microsoft.Authorization/policySetDefinitions/1f3afdf9-d0c9-4c3d-847f-89da613e70a8"
def pa(sid, params):
    return {"id": f"/subscriptions/{sid}/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn", "name": "SecurityCenterBuiltIn",
            "type": "Microsoft.Authorization/policyAssignments", "location": None, "identity": None,
            "properties": {"displayName": "ASC Default (subscription: " + sid + ")", "policyDefinitionId": MCSB, "scope": f"/subscriptions/{sid}",
                           "notScopes": [], "parameters": params, "enforcementMode": "Default", "metadata": {"assignedBy": "Security Center"}}}
w(f"/subscriptions/{PROD}/providers/Microsoft.Authorization/policyAssignments", {"value": [pa(PROD, {})]})
w(f"/subscriptions/{SBX}/providers/Microsoft.Authorization/policyAssignments", {"value": [pa(SBX, {"systemUpdatesMonitoringEffect": {"value": "Disabled"}})]})
w(f"/subscriptions/{PROD}/providers/Microsoft.Authorization/locks", {"value": [
    {"id": f"/subscriptions/{PROD}/resourceGroups/rg-monitoring/providers/Microsoft.Authorization/locks/no-delete", "name": "no-delete",
     "type": "Microsoft.Authorization/locks", "properties": {"level": "CanNotDelete", "notes": "activity log archive", "owners": None}}]})
w(f"/subscriptions/{SBX}/providers/Microsoft.Authorization/locks", {"value": []})

# ---- Entra (Microsoft Graph) ----
w("/graph/v1.0/policies/authorizationPolicy", {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/authorizationPolicy/$entity",
   "id": "authorizationPolicy", "displayName": "Authorization Policy", "allowInvitesFrom": "everyone", "allowedToSignUpEmailBasedSubscriptions": True,
   "allowedToUseSSPR": True, "allowEmailVerifiedUsersToJoinOrganization": False, "blockMsolPowerShell": False,
   "guestUserRoleId": "10dae51f-b6af-4016-8d66-8c2a99b929b3",
   "defaultUserRolePermissions": {"allowedToCreateApps": True, "allowedToCreateSecurityGroups": True, "allowedToCreateTenants": True,
                                  "allowedToReadBitlockerKeysForOwnedDevice": True, "allowedToReadOtherUsers": True,
                                  "permissionGrantPoliciesAssigned": ["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"]}})
def ca(i, name, users, apps, controls, risk=None, state="enabled"):
    c = {"users": {"includeUsers": users, "excludeUsers": ["break-glass-1"], "includeGroups": [], "includeRoles": []},
         "applications": {"includeApplications": apps, "excludeApplications": [], "includeUserActions": []},
         "clientAppTypes": ["all"], "signInRiskLevels": risk or [], "userRiskLevels": [], "locations": None, "platforms": None}
    return {"id": f"c0000000-0000-4000-8000-00000000000{i}", "displayName": name, "state": state, "createdDateTime": "2024-01-01T00:00:00Z",
            "conditions": c, "grantControls": {"operator": "OR", "builtInControls": controls, "customAuthenticationFactors": [], "termsOfUse": []},
            "sessionControls": None}
w("/graph/v1.0/identity/conditionalAccess/policies", {"value": [ca(1, "Require MFA for all users", ["All"], ["All"], ["mfa"])],
   "@odata.nextLink": "{{server}}/graph/v1.0/identity/conditionalAccess/policiesPage2"})
w("/graph/v1.0/identity/conditionalAccess/policiesPage2", {"value": [ca(2, "MFA for risky sign-ins", ["All"], ["All"], ["mfa"], risk=["high", "medium"]),
   ca(3, "Block legacy auth (report only)", ["All"], ["All"], ["block"], state="enabledForReportingButNotEnforced")]})
w("/graph/v1.0/identity/conditionalAccess/namedLocations", {"value": [
   {"@odata.type": "#microsoft.graph.ipNamedLocation", "id": "d0000000-0000-4000-8000-000000000001", "displayName": "Acme offices", "isTrusted": True,
    "ipRanges": [{"@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": "203.0.113.0/24"}]}]})
w("/graph/v1.0/reports/authenticationMethods/userRegistrationDetails", {"value": [
   {"id": "u1", "userPrincipalName": "alice@acme.example", "isAdmin": True, "isMfaRegistered": True, "isMfaCapable": True, "methodsRegistered": ["microsoftAuthenticatorPush"]},
   {"id": "u2", "userPrincipalName": "bob@acme.example", "isAdmin": False, "isMfaRegistered": True, "isMfaCapable": True, "methodsRegistered": ["fido2"]}],
   "@odata.nextLink": "{{server}}/graph/v1.0/reports/authenticationMethods/userRegistrationDetailsPage2"})
w("/graph/v1.0/reports/authenticationMethods/userRegistrationDetailsPage2", {"value": [
   {"id": "u3", "userPrincipalName": "carol.admin@acme.example", "isAdmin": True, "isMfaRegistered": False, "isMfaCapable": False, "methodsRegistered": []}]})

w("/graph/v1.0/directoryRoles(roleTemplateId='62e90394-69f5-4237-9190-012177145e10')/members",
  {"value": [{"@odata.type": "#microsoft.graph.user", "id": f"ga-{i}"} for i in range(3)],
   "@odata.nextLink": "{{server}}/graph/v1.0/directoryRoles(roleTemplateId='62e90394-69f5-4237-9190-012177145e10')/membersPage2"})
w("/graph/v1.0/directoryRoles(roleTemplateId='62e90394-69f5-4237-9190-012177145e10')/membersPage2",
  {"value": [{"@odata.type": "#microsoft.graph.user", "id": f"ga-{i}"} for i in range(3, 6)]})
w("/graph/v1.0/groupSettings", {"value": [
   {"id": "gs-1", "displayName": "Password Rule Settings", "templateId": "5cf42378-d67d-4f36-ba46-e8b86229381d",
    "values": [{"name": "BannedPasswordCheckOnPremisesMode", "value": "Audit"}, {"name": "EnableBannedPasswordCheckOnPremises", "value": "False"},
               {"name": "EnableBannedPasswordCheck", "value": "True"}, {"name": "LockoutDurationInSeconds", "value": "60"},
               {"name": "LockoutThreshold", "value": "10"}, {"name": "BannedPasswordList", "value": "acme\tacme2024"}]},
   {"id": "gs-2", "displayName": "Group.Unified", "templateId": "62375ab9-6b52-47ed-826b-58e47e0e304b",
    "values": [{"name": "EnableGroupCreation", "value": "true"}, {"name": "AllowGuestsToAccessGroups", "value": "true"}]}]})
w("/providers/Microsoft.Subscription/policies/default", {"id": "/providers/Microsoft.Subscription/policies/default", "name": "default",
   "type": "Microsoft.Subscription/policies", "properties": {"blockSubscriptionsLeavingTenant": True, "blockSubscriptionsIntoTenant": False,
   "exemptedPrincipals": [], "policyId": "default"}})
w("/providers/microsoft.aadiam/diagnosticSettings", {"value": [{"id": "/providers/microsoft.aadiam/diagnosticSettings/entra-to-law", "name": "entra-to-law",
   "properties": {"workspaceId": f"/subscriptions/{PROD}/resourceGroups/rg-monitoring/providers/Microsoft.OperationalInsights/workspaces/law-acme-security",
                  "logs": [{"category": c, "enabled": True, "retentionPolicy": {"enabled": False, "days": 0}}
                           for c in ("AuditLogs", "SignInLogs", "NonInteractiveUserSignInLogs", "ServicePrincipalSignInLogs", "ManagedIdentitySignInLogs", "ProvisioningLogs")]}}]})

# ---- Application Insights, Bastion ----
row(PROD, "rg-web-eus", "Microsoft.Insights/components", "appi-acme-web", "eastus",
    {"ApplicationId": "appi-acme-web", "AppId": "a1b2", "Application_Type": "web", "InstrumentationKey": "00000000-0000-0000-0000-000000000000",
     "ConnectionString": "InstrumentationKey=00000000-0000-0000-0000-000000000000", "provisioningState": "Succeeded",
     "WorkspaceResourceId": f"/subscriptions/{PROD}/resourceGroups/rg-monitoring/providers/Microsoft.OperationalInsights/workspaces/law-acme-security",
     "IngestionMode": "LogAnalytics", "publicNetworkAccessForIngestion": "Enabled", "publicNetworkAccessForQuery": "Enabled", "DisableLocalAuth": True},
    {"owner": "web-team", "environment": "production"}, kind="web")
row(PROD, "rg-network-eus", "Microsoft.Network/bastionHosts", "bas-acme-prod", "eastus",
    {"provisioningState": "Succeeded", "dnsName": "bst-1234.bastion.azure.com", "enableTunneling": True, "enableIpConnect": False,
     "enableShareableLink": False, "disableCopyPaste": False, "scaleUnits": 2,
     "ipConfigurations": [{"name": "ipconf", "id": vnet_prod + "/bastion/ipconf", "properties": {"subnet": {"id": vnet_prod + "/subnets/AzureBastionSubnet"},
                            "publicIPAddress": {"id": rid(PROD, "rg-network-eus", "Microsoft.Network/publicIPAddresses", "pip-bastion")}}}]},
    {"owner": "network-team", "environment": "production"}, sku={"name": "Standard"})

# ---- Databricks, Application Gateway, WAF policy, VPN gateway ----
dbw = row(PROD, "rg-data-eus", "Microsoft.Databricks/workspaces", "dbw-acme-prod", "eastus",
          {"managedResourceGroupId": f"/subscriptions/{PROD}/resourceGroups/databricks-rg-dbw-acme-prod", "workspaceUrl": "adb-1234567890.12.azuredatabricks.net",
           "provisioningState": "Succeeded", "publicNetworkAccess": "Disabled", "requiredNsgRules": "NoAzureDatabricksRules",
           "parameters": {"customVirtualNetworkId": {"type": "String", "value": vnet_prod}, "customPublicSubnetName": {"type": "String", "value": "snet-app"},
                          "customPrivateSubnetName": {"type": "String", "value": "snet-app"}, "enableNoPublicIp": {"type": "Bool", "value": True},
                          "prepareEncryption": {"type": "Bool", "value": True}, "requireInfrastructureEncryption": {"type": "Bool", "value": False}},
           "encryption": {"entities": {"managedServices": {"keySource": "Microsoft.Keyvault", "keyVaultProperties": {"keyVaultUri": "https://kv-acme-prod.vault.azure.net/", "keyName": "cmk-dbx", "keyVersion": "1"}}}},
           "privateEndpointConnections": [{"id": rid(PROD, "rg-data-eus", "Microsoft.Databricks/workspaces", "dbw-acme-prod") + "/privateEndpointConnections/pe",
                                           "properties": {"privateLinkServiceConnectionState": {"status": "Approved"}}}]},
          {"owner": "data-platform", "environment": "production"}, sku={"name": "premium"})
w(dbw + "/providers/Microsoft.Insights/diagnosticSettings", {"value": [{"id": dbw + "/providers/microsoft.insights/diagnosticSettings/to-law", "name": "to-law",
   "properties": {"workspaceId": law, "logs": [{"category": None, "categoryGroup": "allLogs", "enabled": True}]}}]})
waf = rid(PROD, "rg-network-eus", "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies", "waf-acme-prod")
agw = rid(PROD, "rg-network-eus", "Microsoft.Network/applicationGateways", "agw-acme-prod")
row(PROD, "rg-network-eus", "Microsoft.Network/applicationGateways", "agw-acme-prod", "eastus",
    {"provisioningState": "Succeeded", "operationalState": "Running", "sku": {"name": "WAF_v2", "tier": "WAF_v2", "capacity": 2},
     "sslPolicy": {"policyType": "Predefined", "policyName": "AppGwSslPolicy20220101S"}, "enableHttp2": True, "firewallPolicy": {"id": waf},
     "httpListeners": [{"name": "https", "id": agw + "/httpListeners/https", "properties": {"protocol": "Https", "frontendPort": {"id": agw + "/frontendPorts/p443"}}}],
     "gatewayIPConfigurations": [{"name": "gw", "properties": {"subnet": {"id": vnet_prod + "/subnets/snet-agw"}}}]},
    {"owner": "network-team", "environment": "production"})
row(PROD, "rg-network-eus", "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies", "waf-acme-prod", "eastus",
    {"provisioningState": "Succeeded", "policySettings": {"state": "Enabled", "mode": "Prevention", "requestBodyCheck": True, "maxRequestBodySizeInKb": 128, "fileUploadLimitInMb": 100},
     "managedRules": {"managedRuleSets": [{"ruleSetType": "Microsoft_DefaultRuleSet", "ruleSetVersion": "2.1", "ruleGroupOverrides": []},
                                          {"ruleSetType": "Microsoft_BotManagerRuleSet", "ruleSetVersion": "1.0"}], "exclusions": []},
     "applicationGateways": [{"id": agw}], "customRules": []},
    {"owner": "network-team", "environment": "production"})
row(SBX, "rg-sandbox", "Microsoft.Network/virtualNetworkGateways", "vgw-sbx-p2s", "eastus",
    {"provisioningState": "Succeeded", "gatewayType": "Vpn", "vpnType": "RouteBased", "sku": {"name": "VpnGw1", "tier": "VpnGw1"},
     "vpnClientConfiguration": {"vpnClientAddressPool": {"addressPrefixes": ["172.16.0.0/24"]}, "vpnClientProtocols": ["IkeV2", "SSTP"],
                                "vpnAuthenticationTypes": ["Certificate"], "vpnClientRootCertificates": [{"name": "root", "properties": {"publicCertData": "MIIC..."}}]}},
    {"owner": "growth-team", "environment": "sandbox"})

# ---- flow logs ----
law = f"/subscriptions/{PROD}/resourceGroups/rg-monitoring/providers/Microsoft.OperationalInsights/workspaces/law-acme-security"
def flowlog(sid, loc, name, target, days, ta):
    watcher = rid(sid, "NetworkWatcherRG", "Microsoft.Network/networkWatchers", "NetworkWatcher_" + loc)
    return watcher, {"id": watcher + "/flowLogs/" + name, "name": name, "type": "Microsoft.Network/networkWatchers/flowLogs", "location": loc,
        "tags": {"owner": "network-team"},
        "properties": {"targetResourceId": target, "targetResourceGuid": "1b7e7c4e-0001", "storageId": logs, "enabled": True,
                       "provisioningState": "Succeeded", "retentionPolicy": {"days": days, "enabled": True}, "format": {"type": "JSON", "version": 2},
                       "flowAnalyticsConfiguration": {"networkWatcherFlowAnalyticsConfiguration": {"enabled": ta, "workspaceId": "ws-guid",
                           "workspaceRegion": "eastus", "workspaceResourceId": law, "trafficAnalyticsInterval": 10}}}}
wp, fp = flowlog(PROD, "eastus", "fl-nsg-app-eus", nsg_app, 90, True)
w(wp + "/flowLogs", {"value": [fp]})
ws_, fs_ = flowlog(SBX, "eastus", "fl-vnet-sbx", vnet_sbx, 7, False)
w(ws_ + "/flowLogs", {"value": [fs_]})

# ---- PostgreSQL / MySQL flexible servers ----
def cfg(srv, name, value, default, source="user-override"):
    return {"id": srv + "/configurations/" + name, "name": name, "type": "Microsoft.DBforPostgreSQL/flexibleServers/configurations",
            "properties": {"value": value, "defaultValue": default, "source": source, "dataType": "Boolean", "allowedValues": "on,off", "isReadOnly": False}}
pg = row(PROD, "rg-data-eus", "Microsoft.DBforPostgreSQL/flexibleServers", "pg-acme-orders", "eastus",
         {"version": "16", "state": "Ready", "fullyQualifiedDomainName": "pg-acme-orders.postgres.database.azure.com", "administratorLogin": "pgadmin",
          "network": {"publicNetworkAccess": "Disabled", "delegatedSubnetResourceId": vnet_prod + "/subnets/snet-app"},
          "authConfig": {"activeDirectoryAuth": "Enabled", "passwordAuth": "Disabled", "tenantId": TENANT},
          "dataEncryption": {"type": "SystemManaged"}, "backup": {"backupRetentionDays": 14, "geoRedundantBackup": "Enabled", "earliestRestoreDate": "2026-10-01T00:00:00Z"},
          "highAvailability": {"mode": "ZoneRedundant", "state": "Healthy"}, "storage": {"storageSizeGB": 128}},
         {"owner": "data-platform", "environment": "production"}, sku={"name": "Standard_D2ds_v5", "tier": "GeneralPurpose"})
w(pg + "/firewallRules", {"value": []})
w(pg + "/configurations", {"value": [cfg(pg, "require_secure_transport", "on", "on", "system-default"), cfg(pg, "log_checkpoints", "on", "on", "system-default"),
                                     cfg(pg, "array_nulls", "on", "on", "system-default")],
   "nextLink": "{{server}}" + pg + "/configurationsPage2?api-version=2024-08-01"})
w(pg + "/configurationsPage2", {"value": [cfg(pg, "connection_throttle.enable", "on", "off"), cfg(pg, "logfiles.retention_days", "7", "3"),
                                          cfg(pg, "log_connections", "on", "on", "system-default"), cfg(pg, "log_disconnections", "on", "off"),
                                          cfg(pg, "ssl_min_protocol_version", "TLSv1.2", "TLSv1.2", "system-default")]})
my = row(SBX, "rg-sandbox", "Microsoft.DBforMySQL/flexibleServers", "mysql-acme-sbx", "eastus",
         {"version": "8.0.21", "state": "Ready", "fullyQualifiedDomainName": "mysql-acme-sbx.mysql.database.azure.com", "administratorLogin": "myadmin",
          "network": {"publicNetworkAccess": "Enabled"}, "dataEncryption": {"type": "SystemManaged"},
          "backup": {"backupRetentionDays": 7, "geoRedundantBackup": "Disabled"}, "highAvailability": {"mode": "Disabled"}},
         {"owner": "growth-team", "environment": "sandbox"}, sku={"name": "Standard_B1ms", "tier": "Burstable"})
w(my + "/firewallRules", {"value": [{"id": my + "/firewallRules/AllowAllAzureServicesAndResourcesWithinAzureIps", "name": "AllowAllAzureServicesAndResourcesWithinAzureIps",
    "properties": {"startIpAddress": "0.0.0.0", "endIpAddress": "0.0.0.0"}}]})
w(my + "/configurations", {"value": [cfg(my, "require_secure_transport", "OFF", "ON"), cfg(my, "tls_version", "TLSv1,TLSv1.1,TLSv1.2", "TLSv1.2"),
                                     cfg(my, "audit_log_enabled", "OFF", "OFF", "system-default"), cfg(my, "max_connections", "171", "171", "system-default")]})

# ---- Azure AI: OpenAI / AI Services, Machine Learning, AI Search ----
def diag(res, cats):
    w(res + "/providers/Microsoft.Insights/diagnosticSettings", {"value": [] if not cats else [{"id": res + "/providers/microsoft.insights/diagnosticSettings/to-law",
        "name": "to-law", "properties": {"workspaceId": law, "logs": [{"category": c, "categoryGroup": None, "enabled": True} for c in cats]}}]})
oai = row(PROD, "rg-ai-eus", "Microsoft.CognitiveServices/accounts", "oai-acme-prod", "eastus",
          {"endpoint": "https://oai-acme-prod.openai.azure.com/", "provisioningState": "Succeeded", "dateCreated": "2025-02-03T10:00:00.000Z",
           "customSubDomainName": "oai-acme-prod", "publicNetworkAccess": "Disabled", "disableLocalAuth": True,
           "networkAcls": {"defaultAction": "Deny", "ipRules": [], "virtualNetworkRules": [{"id": vnet_prod + "/subnets/snet-app", "ignoreMissingVnetServiceEndpoint": False}]},
           "encryption": {"keySource": "Microsoft.KeyVault", "keyVaultProperties": {"keyName": "cmk-openai", "keyVersion": "", "keyVaultUri": "{{server}}/kvdata/kv-acme-prod/",
                                                                                    "identityClientId": "7e1a0000-0000-4000-8000-000000000001"}},
           "userOwnedStorage": [{"resourceId": logs}], "privateEndpointConnections": [], "capabilities": [{"name": "VirtualNetworks"}]},
          {"owner": "ml-team", "environment": "production"}, kind="OpenAI", sku={"name": "S0"},
          identity={"type": "SystemAssigned", "principalId": "e1000000-0000-4000-8000-000000000001", "tenantId": TENANT})
sbxai = row(SBX, "rg-sandbox", "Microsoft.CognitiveServices/accounts", "ais-acme-sbx", "eastus",
            {"endpoint": "https://ais-acme-sbx.cognitiveservices.azure.com/", "provisioningState": "Succeeded", "dateCreated": "2025-06-01T10:00:00.000Z",
             "customSubDomainName": "ais-acme-sbx", "publicNetworkAccess": "Enabled", "networkAcls": {"defaultAction": "Allow", "ipRules": [], "virtualNetworkRules": []},
             "encryption": {"keySource": "Microsoft.CognitiveServices"}},
            {"owner": "growth-team"}, kind="AIServices", sku={"name": "S0"})
diag(oai, ["Audit", "RequestResponse"])
diag(sbxai, [])
def filters(block):
    return [{"name": n, "enabled": True, "blocking": block, "severityThreshold": "Medium", "source": src}
            for n in ("Hate", "Sexual", "Violence", "Selfharm") for src in ("Prompt", "Completion")]
def rai(acct, name, mode, block):
    return {"id": acct + "/raiPolicies/" + name, "name": name, "type": "Microsoft.CognitiveServices/accounts/raiPolicies",
            "properties": {"mode": mode, "basePolicyName": "Microsoft.DefaultV2" if not name.startswith("Microsoft.") else None, "type": "SystemManaged" if name.startswith("Microsoft.") else "UserManaged",
                           "contentFilters": filters(block)}}
w(oai + "/raiPolicies", {"value": [rai(oai, "Microsoft.Default", "Blocking", True), rai(oai, "Microsoft.DefaultV2", "Blocking", True)]})
w(sbxai + "/raiPolicies", {"value": [rai(sbxai, "Microsoft.DefaultV2", "Blocking", True), rai(sbxai, "annotate-only", "Asynchronous_filter", False)]})
def dep(acct, name, model, version, policy):
    p = {"model": {"format": "OpenAI", "name": model, "version": version}, "versionUpgradeOption": "OnceNewDefaultVersionAvailable",
         "provisioningState": "Succeeded", "capabilities": {"chatCompletion": "true"}, "currentCapacity": 50}
    if policy:
        p["raiPolicyName"] = policy
    return {"id": acct + "/deployments/" + name, "name": name, "type": "Microsoft.CognitiveServices/accounts/deployments",
            "sku": {"name": "GlobalStandard", "capacity": 50}, "properties": p}
w(oai + "/deployments", {"value": [dep(oai, "gpt-4o", "gpt-4o", "2024-11-20", "Microsoft.DefaultV2")]})
w(sbxai + "/deployments", {"value": [dep(sbxai, "gpt-4o-mini", "gpt-4o-mini", "2024-07-18", "annotate-only")],
   "nextLink": "{{server}}" + sbxai + "/deploymentsPage2?api-version=2024-10-01"})
w(sbxai + "/deploymentsPage2", {"value": [dep(sbxai, "whisper", "whisper", "001", "Microsoft.Nil")]})

mlw = row(PROD, "rg-ai-eus", "Microsoft.MachineLearningServices/workspaces", "mlw-acme-prod", "eastus",
          {"friendlyName": "Acme ML", "provisioningState": "Succeeded", "publicNetworkAccess": "Disabled", "allowPublicAccessWhenBehindVnet": False,
           "hbiWorkspace": True, "v1LegacyMode": False, "storageAccount": logs, "keyVault": kv1,
           "applicationInsights": rid(PROD, "rg-ai-eus", "Microsoft.Insights/components", "appi-ml"),
           "containerRegistry": rid(PROD, "rg-ai-eus", "Microsoft.ContainerRegistry/registries", "acracmeml"), "systemDatastoresAuthMode": "identity",
           "encryption": {"status": "Enabled", "keyVaultProperties": {"keyVaultArmId": kv1, "keyIdentifier": "https://kv-acme-prod.vault.azure.net/keys/cmk-ml"}},
           "managedNetwork": {"isolationMode": "AllowOnlyApprovedOutbound", "status": {"status": "Active", "sparkReady": False}, "outboundRules": {}},
           "privateEndpointConnections": [], "discoveryUrl": "https://eastus.api.azureml.ms/discovery"},
          {"owner": "ml-team", "environment": "production"}, kind="Default", sku={"name": "Basic", "tier": "Basic"},
          identity={"type": "SystemAssigned", "principalId": "e2000000-0000-4000-8000-000000000001", "tenantId": TENANT})
diag(mlw, ["AmlComputeClusterEvent", "AmlRunStatusChangedEvent"])
def compute(ws, name, ctype, props, local=True):
    return {"id": ws + "/computes/" + name, "name": name, "type": "Microsoft.MachineLearningServices/workspaces/computes", "location": "eastus",
            "tags": {"owner": "ml-team"}, "identity": None,
            "properties": {"computeType": ctype, "computeLocation": "eastus", "provisioningState": "Succeeded", "createdOn": "2025-03-01T12:00:00.000Z",
                           "disableLocalAuth": local, "isAttachedCompute": False, "properties": props}}
w(mlw + "/computes", {"value": [
    compute(mlw, "ci-alice", "ComputeInstance", {"vmSize": "STANDARD_DS3_V2", "state": "Stopped", "subnet": {"id": vnet_prod + "/subnets/snet-app"},
        "enableNodePublicIp": False, "sshSettings": {"sshPublicAccess": "Disabled", "adminUserName": "azureuser", "sshPort": 50000},
        "idleTimeBeforeShutdown": "PT30M", "connectivityEndpoints": {"privateIpAddress": "10.10.1.7"}, "applicationSharingPolicy": "Personal",
        "computeInstanceAuthorizationType": "personal"}),
    compute(mlw, "cpu-cluster", "AmlCompute", {"vmSize": "STANDARD_DS3_V2", "remoteLoginPortPublicAccess": "Enabled",
        "scaleSettings": {"minNodeCount": 0, "maxNodeCount": 4}})]})

srch = row(SBX, "rg-sandbox", "Microsoft.Search/searchServices", "srch-acme-sbx", "eastus",
           {"status": "running", "provisioningState": "succeeded", "replicaCount": 1, "partitionCount": 1, "hostingMode": "default",
            "publicNetworkAccess": "enabled", "networkRuleSet": {"ipRules": [], "bypass": "None"},
            "encryptionWithCmk": {"enforcement": "Unspecified", "encryptionComplianceStatus": "Compliant"},
            "authOptions": {"apiKeyOnly": {}}, "privateEndpointConnections": [], "semanticSearch": "free"},
           {"owner": "growth-team"}, sku={"name": "basic"})
diag(srch, [])

rows.sort(key=lambda r: r["id"].lower())
half = len(rows) // 2
w("/providers/Microsoft.ResourceGraph/resources", {"totalRecords": len(rows), "count": half, "resultTruncated": "false", "$skipToken": "page2", "data": rows[:half]})
w("/providers/Microsoft.ResourceGraph/resources.page2", {"totalRecords": len(rows), "count": len(rows) - half, "resultTruncated": "false", "data": rows[half:]})
print(len(rows), "rows")
