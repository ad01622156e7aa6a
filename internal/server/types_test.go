package server_test

import "cloudward/internal/resource"

type (
	resourceT = resource.Resource
	edgeT     = resource.Edge
	collErrT  = resource.CollectionError
)
