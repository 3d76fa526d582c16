<?php
// Seed 004's PHP client, which calls a Go net/rpc/jsonrpc server over a raw socket ($PHPROOT/jsonrpc.php),
// verbatim apart from two things: the port is the first argument (the lecture's 8096), and the
// read timeout is 3 s, not the seed's 3 ms (stream_set_timeout's third argument is microseconds;
// fsockopen's 3 s shows what was meant), so that a loaded machine does not fail it.

class JsonRPC {

    private $conn;

    function __construct($host, $port) {
        $this->conn = fsockopen($host, $port, $errno, $errstr, 3);
        if (!$this->conn) return false;
    }

    public function Call($method, $params) {
        if (!$this->conn) return false;
        $err = fwrite($this->conn, json_encode(array(
                'method' => $method,
                'params' => array($params),
                'id'     => 0,
            ))."\n");
        if ($err === false) {
            return false;
        }
        stream_set_timeout($this->conn, 3, 0);
        $line = fgets($this->conn);
        if ($line === false) {
            return NULL;
        }
        return json_decode($line,true);
    }
}

$client = new JsonRPC("127.0.0.1", intval($argv[1]));
$args = array('A'=>9, 'B'=>2);
$r = $client->Call("Arith.Multiply", $args);
printf("%d * %d = %d\n", $args['A'], $args['B'], $r['result']['Pro']);
$r = $client->Call("Arith.Divide", array('A'=>9, 'B'=>2));
printf("%d / %d, Quo is %d, Rem is %d\n", $args['A'], $args['B'], $r['result']['Quo'], $r['result']['Rem']);
