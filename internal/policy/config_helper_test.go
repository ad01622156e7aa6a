package policy_test

import "cloudward/internal/config"

func configParse(b []byte) (*config.Config, error) { return config.Parse("cloudward.yaml", b) }
