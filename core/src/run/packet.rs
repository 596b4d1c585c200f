//! Test packets from a few fields: the Ethernet frame a packet program is run on, as the
//! page's packet builder and the CLI's `--packet` describe it.

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

/// The fields of a test packet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PacketSpec {
    pub ipv6: bool,
    /// 6 TCP, 17 UDP, 1 ICMP (any other: the IP header and the payload only).
    pub proto: u8,
    pub src_port: u16,
    pub dst_port: u16,
    /// Payload bytes after the L4 header (`abcd...`).
    pub payload: usize,
}

impl Default for PacketSpec {
    /// Ethernet + IPv4 + TCP to port 80 with 10 bytes of payload: 64 bytes.
    fn default() -> Self {
        PacketSpec { ipv6: false, proto: 6, src_port: 40000, dst_port: 80, payload: 10 }
    }
}

/// Most payload a spec may ask for (a jumbo frame).
pub const MAX_PAYLOAD: usize = 9000;

impl PacketSpec {
    /// Parses `ipv4|ipv6,tcp|udp|icmp|proto=N,sport=N,dport=N,payload=N` (any order, any
    /// subset; the rest from [`PacketSpec::default`]).
    pub fn parse(s: &str) -> Result<PacketSpec, String> {
        let mut p = PacketSpec::default();
        for part in s.split(',').map(str::trim).filter(|t| !t.is_empty()) {
            let num = |v: &str| -> Result<u64, String> {
                v.parse().map_err(|_| format!("packet spec: `{v}` is not a number"))
            };
            match part.split_once('=') {
                None => match part {
                    "ipv4" => p.ipv6 = false,
                    "ipv6" => p.ipv6 = true,
                    "tcp" => p.proto = 6,
                    "udp" => p.proto = 17,
                    "icmp" => p.proto = 1,
                    _ => return Err(format!("packet spec: unknown word `{part}` (ipv4, ipv6, tcp, udp, icmp, proto=N, sport=N, dport=N, payload=N)")),
                },
                Some((k, v)) => {
                    let n = num(v)?;
                    let fits = |max: u64| {
                        if n <= max {
                            Ok(n)
                        } else {
                            Err(format!("packet spec: {k}={n} is more than {max}"))
                        }
                    };
                    match k {
                        "proto" => p.proto = fits(255)? as u8,
                        "sport" => p.src_port = fits(65535)? as u16,
                        "dport" => p.dst_port = fits(65535)? as u16,
                        "payload" => p.payload = fits(MAX_PAYLOAD as u64)? as usize,
                        _ => return Err(format!("packet spec: unknown field `{k}`")),
                    }
                }
            }
        }
        Ok(p)
    }

    /// The frame: Ethernet, an IPv4 or IPv6 header, a TCP or UDP header (none for other
    /// protocols), the payload. Checksums are left zero.
    pub fn build(&self) -> Vec<u8> {
        let mut l4 = Vec::new();
        match self.proto {
            6 => {
                l4.extend_from_slice(&self.src_port.to_be_bytes());
                l4.extend_from_slice(&self.dst_port.to_be_bytes());
                l4.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xfa, 0xf0, 0, 0, 0, 0]);
            }
            17 => {
                l4.extend_from_slice(&self.src_port.to_be_bytes());
                l4.extend_from_slice(&self.dst_port.to_be_bytes());
                l4.extend_from_slice(&((8 + self.payload) as u16).to_be_bytes());
                l4.extend_from_slice(&[0, 0]);
            }
            _ => {}
        }
        l4.extend((0..self.payload).map(|i| b'a' + (i % 26) as u8));
        let mut f = vec![0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01];
        if self.ipv6 {
            f.extend_from_slice(&[0x86, 0xdd]);
            f.extend_from_slice(&[0x60, 0, 0, 0]);
            f.extend_from_slice(&(l4.len() as u16).to_be_bytes());
            f.extend_from_slice(&[self.proto, 64]);
            f.extend_from_slice(&[0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
            f.extend_from_slice(&[0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
        } else {
            f.extend_from_slice(&[0x08, 0x00]);
            let total = (20 + l4.len()) as u16;
            f.extend_from_slice(&[0x45, 0]);
            f.extend_from_slice(&total.to_be_bytes());
            f.extend_from_slice(&[0, 1, 0x40, 0, 64, self.proto, 0, 0]);
            f.extend_from_slice(&[10, 0, 0, 1, 10, 0, 0, 2]);
        }
        f.extend_from_slice(&l4);
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packets_have_the_right_layout() {
        let p = PacketSpec::default().build();
        assert_eq!(p.len(), 64);
        assert_eq!(&p[12..14], &[8, 0]);
        assert_eq!(p[23], 6);
        assert_eq!(u16::from_be_bytes([p[36], p[37]]), 80);
        let q = PacketSpec::parse("ipv6, udp, dport=53, payload=4").unwrap().build();
        assert_eq!(&q[12..14], &[0x86, 0xdd]);
        assert_eq!(q[20], 17);
        assert_eq!(u16::from_be_bytes([q[56], q[57]]), 53);
        assert_eq!(q.len(), 14 + 40 + 8 + 4);
    }

    #[test]
    fn bad_specs_say_what_is_wrong() {
        assert_eq!(
            PacketSpec::parse("sport=70000").unwrap_err(),
            "packet spec: sport=70000 is more than 65535"
        );
        assert!(PacketSpec::parse("quic").unwrap_err().contains("unknown word `quic`"));
        assert_eq!(PacketSpec::parse("dport=x").unwrap_err(), "packet spec: `x` is not a number");
    }
}
