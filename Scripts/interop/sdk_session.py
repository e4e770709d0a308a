"""Drives `compute-sim serve` with openstacksdk, as orchestration code would drive a real cloud.

Usage: python sdk_session.py IDENTITY_URL
Exits non-zero (with the failing step) when the simulator answers what a real cloud would not.
"""

import base64
import sys

import openstack

# An ed25519 public key (ssh-keygen); its MD5 fingerprint as `ssh-keygen -l -E md5` prints it.
PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMWKXQWFETQnNaRvws0rh+bP1JMYpMHdaW4dT+8RLPkc sim@test"
FINGERPRINT = "1a:fc:1a:a9:cf:68:9d:1c:8a:cf:92:7e:f1:15:9a:47"


def step(name):
    print(f"sdk: {name}", flush=True)


def main(auth_url):
    conn = openstack.connect(
        auth_url=auth_url,
        username="demo",
        password="secret",
        project_name="demo",
        user_domain_name="Default",
        project_domain_name="Default",
        region_name="RegionOne",
    )
    wait = {"interval": 1, "wait": 120}

    def settle(server, status):
        # wait_for_server returns at once when the object it is given already shows the status,
        # so fetch the server first: after an action a real cloud shows the transition at once.
        return conn.compute.wait_for_server(conn.compute.get_server(server), status=status, **wait)

    step("list flavors, images and networks")
    flavors = sorted(conn.compute.flavors(), key=lambda f: (f.vcpus, f.ram))
    images = list(conn.image.images())
    networks = list(conn.network.networks())
    assert len(flavors) >= 2, flavors
    image = next(i for i in images if i.name.startswith("cirros"))
    small, larger = flavors[0], flavors[1]
    network = networks[0]

    step("import a key pair")
    keypair = conn.compute.create_keypair(name="interop-key", public_key=PUBLIC_KEY)
    assert keypair.fingerprint == FINGERPRINT, keypair.fingerprint

    step("create a server with metadata, a personality file, an access IP and the key pair")
    motd = base64.b64encode(b"hello from the interop test\n").decode()
    server = conn.compute.create_server(
        name="interop-1",
        image_id=image.id,
        flavor_id=small.id,
        networks=[{"uuid": network.id}],
        metadata={"role": "web"},
        personality=[{"path": "/etc/motd", "contents": motd}],
        access_ipv4="192.0.2.10",
        key_name="interop-key",
    )
    server = conn.compute.wait_for_server(server, status="ACTIVE", **wait)
    assert server.metadata == {"role": "web"}, server.metadata
    assert server.access_ipv4 == "192.0.2.10", server.access_ipv4
    assert network.name in server.addresses, server.addresses
    assert server.key_name == "interop-key", server.key_name

    step("reboot, stop and start")
    conn.compute.reboot_server(server, "SOFT")
    assert conn.compute.get_server(server).status == "REBOOT"
    settle(server, "ACTIVE")
    conn.compute.stop_server(server)
    settle(server, "SHUTOFF")
    conn.compute.start_server(server)
    settle(server, "ACTIVE")

    step("resize and confirm")
    conn.compute.resize_server(server, larger)
    settle(server, "VERIFY_RESIZE")
    conn.compute.confirm_server_resize(server)
    server = settle(server, "ACTIVE")
    assert server.flavor.name == larger.name, server.flavor

    step("an anti-affinity group spreads its servers over hosts")
    group = conn.compute.create_server_group(name="spread", policies=["anti-affinity"])
    members = [
        conn.compute.create_server(
            name=f"spread-{n}",
            image_id=image.id,
            flavor_id=small.id,
            networks=[{"uuid": network.id}],
            scheduler_hints={"group": group.id},
        )
        for n in range(2)
    ]
    members = [conn.compute.wait_for_server(m, status="ACTIVE", **wait) for m in members]
    host_ids = {m.host_id for m in members}
    assert len(host_ids) == 2 and "" not in host_ids, host_ids
    assert sorted(conn.compute.get_server_group(group).member_ids) == sorted(m.id for m in members)

    step("read limits")
    limits = conn.compute.get_limits()
    assert limits.absolute.instances_used == 3, limits.absolute
    assert limits.absolute.total_cores_used >= 3, limits.absolute

    step("delete and wait for deletion")
    for doomed in [server] + members:
        conn.compute.delete_server(doomed)
    for doomed in [server] + members:
        conn.compute.wait_for_delete(doomed, **wait)
    assert list(conn.compute.servers()) == []
    conn.compute.delete_server_group(group)
    conn.compute.delete_keypair(keypair)
    assert list(conn.compute.keypairs()) == []
    print("sdk: ok", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
