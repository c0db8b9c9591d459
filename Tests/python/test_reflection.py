"""Server reflection: v1alpha through grpcio-reflection's client, v1 through raw stubs
generated from Protos/grpc/reflection/v1/reflection.proto."""

import time

import grpc
import pytest
from google.protobuf import descriptor_pb2
from google.protobuf.descriptor_pool import DescriptorPool
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

from conftest import RPC_TIMEOUT, grpc_frame, grpc_unframe, with_default_timeout

EXPECTED_SERVICES = {"grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
                     "grpc.reflection.v1alpha.ServerReflection"}


@pytest.fixture
def v1alpha_db(server):
    return ProtoReflectionDescriptorDatabase(with_default_timeout(server.channel()))


# MARK: - v1alpha (grpcio-reflection)


def test_v1alpha_list_services(server, v1alpha_db):
    services = set(v1alpha_db.get_services())
    assert EXPECTED_SERVICES <= services, services
    server.assert_serving()


def test_v1alpha_describe_health_through_descriptor_pool(server, v1alpha_db):
    pool = DescriptorPool(v1alpha_db)
    service = pool.FindServiceByName("grpc.health.v1.Health")
    methods = {method.name: method for method in service.methods}
    assert {"Check", "Watch"} <= set(methods), set(methods)
    check, watch = methods["Check"], methods["Watch"]
    assert check.input_type.full_name == "grpc.health.v1.HealthCheckRequest"
    assert check.output_type.full_name == "grpc.health.v1.HealthCheckResponse"
    assert watch.input_type.full_name == "grpc.health.v1.HealthCheckRequest"
    assert watch.output_type.full_name == "grpc.health.v1.HealthCheckResponse"
    assert not check.server_streaming and not check.client_streaming
    assert watch.server_streaming and not watch.client_streaming

    request = pool.FindMessageTypeByName("grpc.health.v1.HealthCheckRequest")
    assert [(f.name, f.number, f.type) for f in request.fields] == [
        ("service", 1, descriptor_pb2.FieldDescriptorProto.TYPE_STRING)]
    response = pool.FindMessageTypeByName("grpc.health.v1.HealthCheckResponse")
    status = response.fields_by_name["status"]
    assert status.number == 1 and status.enum_type.full_name == "grpc.health.v1.HealthCheckResponse.ServingStatus"
    assert {v.name: v.number for v in status.enum_type.values} == {
        "UNKNOWN": 0, "SERVING": 1, "NOT_SERVING": 2, "SERVICE_UNKNOWN": 3}
    assert service.file.name == "grpc/health/v1/health.proto"
    server.assert_serving()


def test_v1alpha_describe_reflection_services(server, v1alpha_db):
    pool = DescriptorPool(v1alpha_db)
    for name in ("grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"):
        method = pool.FindServiceByName(name).methods_by_name["ServerReflectionInfo"]
        assert method.client_streaming and method.server_streaming
    server.assert_serving()


def test_every_listed_service_is_described_and_healthy(server, v1alpha_db):
    """Whatever the server serves (it grows with sma.v1): reflection can describe each listed
    service, and health reports it SERVING."""
    pool = DescriptorPool(v1alpha_db)
    stub, pb2 = server.health_stub(), server.protos.health_pb2
    for name in v1alpha_db.get_services():
        service = pool.FindServiceByName(name)
        assert service.methods, name
        for method in service.methods:
            assert method.input_type.full_name and method.output_type.full_name
        reply = stub.Check(pb2.HealthCheckRequest(service=name), timeout=RPC_TIMEOUT)
        assert pb2.HealthCheckResponse.ServingStatus.Name(reply.status) == "SERVING", name
    server.assert_serving()


def test_v1alpha_unknown_symbol(server, v1alpha_db):
    with pytest.raises(KeyError):
        v1alpha_db.FindFileContainingSymbol("no.such.Symbol")
    server.assert_serving()


# MARK: - v1 (raw stubs)


def _v1_exchange(server, protos, *requests):
    stub = protos.reflection_pb2_grpc.ServerReflectionStub(server.channel())
    return list(stub.ServerReflectionInfo(iter(requests), timeout=RPC_TIMEOUT))


def test_v1_list_services_file_containing_symbol_and_unknown_symbol(server, protos):
    pb2 = protos.reflection_pb2
    requests = [
        pb2.ServerReflectionRequest(host="localhost", list_services="*"),
        pb2.ServerReflectionRequest(file_containing_symbol="grpc.health.v1.Health"),
        pb2.ServerReflectionRequest(file_containing_symbol="no.such.Symbol"),
        # The stream stays usable after an error answer.
        pb2.ServerReflectionRequest(file_containing_symbol="grpc.health.v1.HealthCheckResponse.ServingStatus"),
    ]
    replies = _v1_exchange(server, protos, *requests)
    assert len(replies) == len(requests)
    for request, reply in zip(requests, replies):
        assert reply.original_request == request

    listed = replies[0]
    assert listed.WhichOneof("message_response") == "list_services_response"
    assert listed.valid_host == "localhost"
    assert EXPECTED_SERVICES <= {s.name for s in listed.list_services_response.service}

    described = replies[1]
    assert described.WhichOneof("message_response") == "file_descriptor_response", described
    files = [descriptor_pb2.FileDescriptorProto.FromString(raw)
             for raw in described.file_descriptor_response.file_descriptor_proto]
    health_file = files[0]
    assert health_file.name == "grpc/health/v1/health.proto"
    assert health_file.package == "grpc.health.v1"
    service = {s.name: s for s in health_file.service}["Health"]
    methods = {m.name: m for m in service.method}
    assert methods["Check"].input_type == ".grpc.health.v1.HealthCheckRequest"
    assert methods["Watch"].server_streaming
    # The served descriptor agrees with the one protoc builds from Protos/.
    local = descriptor_pb2.FileDescriptorProto()
    protos.health_pb2.DESCRIPTOR.CopyToProto(local)
    assert [m.name for m in health_file.message_type] == [m.name for m in local.message_type]
    assert health_file.service == local.service

    unknown = replies[2]
    assert unknown.WhichOneof("message_response") == "error_response", unknown
    assert unknown.error_response.error_code == grpc.StatusCode.NOT_FOUND.value[0] == 5
    assert unknown.error_response.error_message

    nested = replies[3]
    assert nested.WhichOneof("message_response") == "file_descriptor_response", nested
    assert descriptor_pb2.FileDescriptorProto.FromString(
        nested.file_descriptor_response.file_descriptor_proto[0]).name == "grpc/health/v1/health.proto"
    server.assert_serving()


def test_v1_file_by_filename_and_unknown_file(server, protos):
    pb2 = protos.reflection_pb2
    replies = _v1_exchange(server, protos,
                           pb2.ServerReflectionRequest(file_by_filename="grpc/reflection/v1/reflection.proto"),
                           pb2.ServerReflectionRequest(file_by_filename="no/such/file.proto"))
    files = [descriptor_pb2.FileDescriptorProto.FromString(raw)
             for raw in replies[0].file_descriptor_response.file_descriptor_proto]
    assert files and files[0].name == "grpc/reflection/v1/reflection.proto"
    assert "ServerReflection" in {s.name for s in files[0].service}
    assert replies[1].error_response.error_code == 5
    server.assert_serving()


def test_v1_extension_queries(server, protos):
    pb2 = protos.reflection_pb2
    replies = _v1_exchange(
        server, protos,
        pb2.ServerReflectionRequest(all_extension_numbers_of_type="grpc.health.v1.HealthCheckRequest"),
        pb2.ServerReflectionRequest(file_containing_extension=pb2.ExtensionRequest(
            containing_type="grpc.health.v1.HealthCheckRequest", extension_number=100)))
    numbers = replies[0].all_extension_numbers_response
    assert numbers.base_type_name == "grpc.health.v1.HealthCheckRequest"
    assert list(numbers.extension_number) == []
    assert replies[1].error_response.error_code == 5
    server.assert_serving()


def test_v1_empty_request_is_an_error_answer_not_a_broken_stream(server, protos):
    pb2 = protos.reflection_pb2
    replies = _v1_exchange(server, protos, pb2.ServerReflectionRequest(),
                           pb2.ServerReflectionRequest(list_services=""))
    assert replies[0].WhichOneof("message_response") == "error_response"
    assert replies[0].error_response.error_code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    assert replies[1].WhichOneof("message_response") == "list_services_response"
    server.assert_serving()


def test_v1_many_requests_on_one_stream(server, protos):
    pb2 = protos.reflection_pb2
    requests = [pb2.ServerReflectionRequest(list_services="") for _ in range(200)]
    replies = _v1_exchange(server, protos, *requests)
    assert len(replies) == 200
    assert all(r.WhichOneof("message_response") == "list_services_response" for r in replies)
    server.assert_serving()


def _without_json_names(file_proto):
    """json_name is filled in by protoc's descriptor sets but not by Python's CopyToProto."""
    def strip(message):
        for field in message.field:
            field.ClearField("json_name")
        for nested in message.nested_type:
            strip(nested)
    for message in file_proto.message_type:
        strip(message)
    return file_proto


def test_v1_served_descriptors_match_protos(server, protos):
    """For every file generated from Protos/ (health, reflection v1, sma.v1), the descriptor the
    server hands out has the same messages, enums and services as protoc's."""
    pb2 = protos.reflection_pb2
    modules = [m for name, m in sorted(protos.modules.items()) if name.endswith("_pb2")]
    requests = [pb2.ServerReflectionRequest(file_by_filename=m.DESCRIPTOR.name) for m in modules]
    replies = _v1_exchange(server, protos, *requests)
    checked = []
    for module, reply in zip(modules, replies):
        local = descriptor_pb2.FileDescriptorProto()
        module.DESCRIPTOR.CopyToProto(local)
        if reply.WhichOneof("message_response") == "error_response":
            # Not compiled into the server (yet): only sma.v1 files may be missing.
            assert local.package.startswith("sma."), (local.name, reply.error_response)
            continue
        served = _without_json_names(descriptor_pb2.FileDescriptorProto.FromString(
            reply.file_descriptor_response.file_descriptor_proto[0]))
        _without_json_names(local)
        assert served.name == local.name
        assert served.package == local.package
        assert list(served.dependency) == list(local.dependency)
        assert served.message_type == local.message_type, local.name
        assert served.enum_type == local.enum_type, local.name
        assert served.service == local.service, local.name
        checked.append(local.name)
    assert "grpc/health/v1/health.proto" in checked and "grpc/reflection/v1/reflection.proto" in checked
    server.assert_serving()


def test_v1_slow_reader_gets_every_answer(server, protos, raw_h2):
    """Backpressure: 1,000 requests on one reflection stream while the client reads nothing
    (its 64 KiB window fills up), then reading resumes: every answer arrives, in order."""
    pb2 = protos.reflection_pb2
    request = pb2.ServerReflectionRequest(file_containing_symbol="grpc.reflection.v1.ServerReflection")
    body = b"".join(grpc_frame(request.SerializeToString()) for _ in range(1000))
    connection = raw_h2(server.port)
    stream = connection.send_request("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", body=body)
    time.sleep(1.0)  # not reading: the server must park its writer, not spin or drop
    response = connection.wait_response(stream, timeout=20)
    assert response.status == ("200", 0), (response.headers, response.trailers)
    replies = [pb2.ServerReflectionResponse.FromString(payload) for _, payload in grpc_unframe(response.data)]
    assert len(replies) == 1000
    assert all(r.WhichOneof("message_response") == "file_descriptor_response" for r in replies)
    server.assert_serving()
